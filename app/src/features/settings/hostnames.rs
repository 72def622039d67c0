//! A school's own domain at Cloudflare for SaaS: saving `learn.example.com` registers it as a
//! custom hostname on the platform's zone (Cloudflare then issues its certificate and sends
//! its requests to the Worker, which serves them as the school's: `kernel::custom_domains`);
//! changing or removing the domain deletes the old one. Until the creator's DNS records are
//! in place the hostname waits; the settings page can ask again, and the hourly cron does.
//!
//! Cloudflare's API (`{base}/zones/{zone}/custom_hostnames`): JSON, `{success, errors, result}`.

use serde::{Deserialize, Serialize};

/// Where a school's domain stands, from Cloudflare's hostname and certificate statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostnameState {
    /// Waiting for the creator's DNS records (or for the certificate they allow).
    Waiting,
    /// Routed, with its certificate.
    Live,
    /// Cloudflare gave up: blocked, moved away, or the certificate's validation timed out.
    Refused,
}

impl HostnameState {
    pub fn as_str(self) -> &'static str {
        match self {
            HostnameState::Waiting => "waiting",
            HostnameState::Live => "live",
            HostnameState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<HostnameState> {
        match s {
            "waiting" => Some(HostnameState::Waiting),
            "live" => Some(HostnameState::Live),
            "refused" => Some(HostnameState::Refused),
            _ => None,
        }
    }

    /// Cloudflare's hostname status and certificate status, summed up.
    pub fn of(status: &str, ssl_status: &str) -> HostnameState {
        let gave_up = matches!(status, "blocked" | "pending_blocked" | "moved" | "deleted" | "pending_deletion" | "test_blocked" | "test_failed")
            || ssl_status.ends_with("_timed_out")
            || matches!(ssl_status, "expired" | "deleted" | "inactive");
        if gave_up {
            HostnameState::Refused
        } else if status == "active" && ssl_status == "active" {
            HostnameState::Live
        } else {
            HostnameState::Waiting
        }
    }
}

/// A DNS record the creator adds at their domain's host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsRecord {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub value: String,
}

/// A custom hostname as Cloudflare describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hostname {
    pub id: String,
    pub state: HostnameState,
    /// What Cloudflare asks to prove the domain is the creator's (TXT records), beyond the
    /// CNAME that routes it.
    pub records: Vec<DnsRecord>,
}

/// Why Cloudflare did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderError {
    /// It answered no (a duplicate hostname, one it does not allow, a bad token): `message`
    /// is its own words, for the log.
    Refused(String),
    /// No such hostname (already deleted).
    NotFound,
    /// Not reached, or an answer that is not Cloudflare's.
    Unreachable(String),
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    errors: Vec<ApiMessage>,
    result: Option<Found>,
}

#[derive(Deserialize)]
struct ApiMessage {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct Found {
    id: String,
    #[serde(default)]
    status: String,
    ssl: Option<Ssl>,
    ownership_verification: Option<Verification>,
}

#[derive(Deserialize)]
struct Ssl {
    #[serde(default)]
    status: String,
    #[serde(default)]
    validation_records: Vec<SslRecord>,
}

#[derive(Deserialize)]
struct SslRecord {
    txt_name: Option<String>,
    txt_value: Option<String>,
}

#[derive(Deserialize)]
struct Verification {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    value: String,
}

/// Cloudflare's answer about one custom hostname (created or read), by HTTP status and body.
pub fn read_answer(status: u16, body: &str) -> Result<Hostname, ProviderError> {
    let Ok(envelope) = serde_json::from_str::<Envelope>(body) else {
        return Err(ProviderError::Unreachable(format!("HTTP {status}, not Cloudflare's JSON")));
    };
    let said = || envelope.errors.iter().map(|e| format!("{} {}", e.code, e.message)).collect::<Vec<_>>().join("; ");
    if status == 404 {
        return Err(ProviderError::NotFound);
    }
    if status >= 500 {
        return Err(ProviderError::Unreachable(format!("HTTP {status}: {}", said())));
    }
    let found = match (envelope.success, &envelope.result) {
        (true, Some(found)) if (200..300).contains(&status) => found,
        _ => return Err(ProviderError::Refused(format!("HTTP {status}: {}", said()))),
    };
    let ssl_status = found.ssl.as_ref().map(|s| s.status.as_str()).unwrap_or("");
    let mut records: Vec<DnsRecord> = found.ownership_verification.iter().filter(|v| v.kind.eq_ignore_ascii_case("txt")).map(|v| DnsRecord { kind: "TXT".into(), name: v.name.clone(), value: v.value.clone() }).collect();
    // A certificate validated by TXT records (method "txt") asks for its own.
    for r in found.ssl.iter().flat_map(|s| &s.validation_records) {
        if let (Some(name), Some(value)) = (&r.txt_name, &r.txt_value) {
            records.push(DnsRecord { kind: "TXT".into(), name: name.clone(), value: value.clone() });
        }
    }
    Ok(Hostname { id: found.id.clone(), state: HostnameState::of(&found.status, ssl_status), records })
}

/// What a delete answered: done, or already gone.
pub fn read_deletion(status: u16, body: &str) -> Result<(), ProviderError> {
    match status {
        200..=299 => Ok(()),
        404 => Ok(()),
        500.. => Err(ProviderError::Unreachable(format!("HTTP {status}"))),
        _ => Err(ProviderError::Refused(format!("HTTP {status}: {}", body.chars().take(200).collect::<String>()))),
    }
}

/// The request that registers `hostname`: its certificate validated over HTTP once the
/// creator's CNAME points at the platform (Cloudflare's recommended method).
pub fn creation_body(hostname: &str) -> String {
    serde_json::json!({ "hostname": hostname, "ssl": { "method": "http", "type": "dv", "settings": { "min_tls_version": "1.2" } } }).to_string()
}

/// Custom hostnames whose state one cron run asks Cloudflare about (the rest wait an hour).
pub const REFRESHED_PER_RUN: i64 = 50;

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::kernel::config::SaasApi;
    use crate::kernel::db::{int, rows, run, text};
    use crate::kernel::error::AppError;

    async fn call(api: &SaasApi, method: worker::Method, path: &str, body: Option<String>) -> Result<(u16, String), ProviderError> {
        use worker::{Fetch, Headers, Request, RequestInit};
        let headers = Headers::new();
        let set = headers.set("authorization", &format!("Bearer {}", api.token)).and_then(|_| headers.set("content-type", "application/json"));
        set.map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        let mut init = RequestInit::new();
        init.with_method(method).with_headers(headers).with_body(body.map(|b| wasm_bindgen::JsValue::from_str(&b)));
        let url = format!("{}/zones/{}/custom_hostnames{path}", api.base, api.zone_id);
        let req = Request::new_with_init(&url, &init).map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        let mut res = Fetch::Request(req).send().await.map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        let body = res.text().await.map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        Ok((res.status_code(), body))
    }

    pub async fn create(api: &SaasApi, hostname: &str) -> Result<Hostname, ProviderError> {
        let (status, body) = call(api, worker::Method::Post, "", Some(creation_body(hostname))).await?;
        read_answer(status, &body)
    }

    pub async fn read(api: &SaasApi, id: &str) -> Result<Hostname, ProviderError> {
        let (status, body) = call(api, worker::Method::Get, &format!("/{}", encode(id)), None).await?;
        read_answer(status, &body)
    }

    pub async fn delete(api: &SaasApi, id: &str) -> Result<(), ProviderError> {
        let (status, body) = call(api, worker::Method::Delete, &format!("/{}", encode(id)), None).await?;
        read_deletion(status, &body)
    }

    /// An id as a path segment (Cloudflare's are UUIDs; anything else is escaped).
    fn encode(id: &str) -> String {
        const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');
        percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
    }

    /// Keeps what Cloudflare said of the school's hostname.
    pub async fn store(db: &worker::D1Database, school_id: i64, found: &Hostname, now: i64) -> Result<(), AppError> {
        let records = serde_json::to_string(&found.records).map_err(|_| AppError::Internal)?;
        run(
            db,
            "UPDATE schools SET custom_hostname_state = ?1, custom_hostname_records = ?2, custom_hostname_checked_at = ?3 WHERE id = ?4 AND custom_hostname_id = ?5",
            &[text(found.state.as_str()), text(&records), int(now), int(school_id), text(&found.id)],
        )
        .await?;
        Ok(())
    }

    /// The hourly pass: asks Cloudflare again about hostnames still waiting (oldest asked
    /// first), so a domain goes live without the creator coming back to check.
    pub async fn refresh_waiting(db: &worker::D1Database, api: &SaasApi, now: i64) -> Result<usize, AppError> {
        #[derive(Deserialize)]
        struct Waiting {
            id: i64,
            custom_hostname_id: String,
        }
        let stmt = crate::kernel::db::stmt(
            db,
            "SELECT id, custom_hostname_id FROM schools WHERE custom_hostname_state = 'waiting' AND custom_hostname_id IS NOT NULL ORDER BY custom_hostname_checked_at LIMIT ?1",
            &[int(REFRESHED_PER_RUN)],
        )?;
        let waiting: Vec<Waiting> = rows(&stmt.all().await?)?;
        let mut refreshed = 0;
        for w in waiting {
            match read(api, &w.custom_hostname_id).await {
                Ok(found) => {
                    store(db, w.id, &found, now).await?;
                    refreshed += 1;
                }
                // Deleted at Cloudflare by hand: the domain is no longer served there.
                Err(ProviderError::NotFound) => {
                    run(db, "UPDATE schools SET custom_hostname_state = 'refused', custom_hostname_checked_at = ?1 WHERE id = ?2", &[int(now), int(w.id)]).await?;
                }
                Err(e) => worker::console_error!("custom hostname {} not refreshed: {e:?}", w.custom_hostname_id),
            }
        }
        Ok(refreshed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_hostname_waits_with_the_records_cloudflare_asks_for() {
        let body = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"0d89c70d-ad9f-4843-b99f-6cc0252067e9","hostname":"learn.example.com","status":"pending","ssl":{"status":"initializing","method":"http","type":"dv"},"ownership_verification":{"type":"txt","name":"_cf-custom-hostname.learn.example.com","value":"5cc07c04-ea62-4a5a-95f0-419334a875a4"}}}"#;
        let found = read_answer(200, body).unwrap();
        assert_eq!(found.id, "0d89c70d-ad9f-4843-b99f-6cc0252067e9");
        assert_eq!(found.state, HostnameState::Waiting);
        assert_eq!(found.records, vec![DnsRecord { kind: "TXT".into(), name: "_cf-custom-hostname.learn.example.com".into(), value: "5cc07c04-ea62-4a5a-95f0-419334a875a4".into() }]);
    }

    #[test]
    fn statuses_sum_up_as_waiting_live_or_refused() {
        assert_eq!(HostnameState::of("active", "active"), HostnameState::Live);
        for (status, ssl) in [("pending", "initializing"), ("active", "pending_validation"), ("pending", "active"), ("active", "pending_deployment"), ("pending", "")] {
            assert_eq!(HostnameState::of(status, ssl), HostnameState::Waiting, "{status} {ssl}");
        }
        for (status, ssl) in [("blocked", "active"), ("moved", "active"), ("active", "validation_timed_out"), ("pending", "expired"), ("deleted", "")] {
            assert_eq!(HostnameState::of(status, ssl), HostnameState::Refused, "{status} {ssl}");
        }
        for s in [HostnameState::Waiting, HostnameState::Live, HostnameState::Refused] {
            assert_eq!(HostnameState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn refusals_outages_and_strangers_are_told_apart() {
        let duplicate = r#"{"success":false,"errors":[{"code":1406,"message":"Duplicate custom hostname found."}],"messages":[],"result":null}"#;
        assert!(matches!(read_answer(409, duplicate), Err(ProviderError::Refused(m)) if m.contains("1406")));
        assert!(matches!(read_answer(400, duplicate), Err(ProviderError::Refused(_))));
        assert_eq!(read_answer(404, r#"{"success":false,"errors":[{"code":1436,"message":"Custom hostname not found."}],"result":null}"#), Err(ProviderError::NotFound));
        assert!(matches!(read_answer(503, "{}"), Err(ProviderError::Unreachable(_))));
        assert!(matches!(read_answer(200, "<html>gateway</html>"), Err(ProviderError::Unreachable(_))));
        // Success said, but no hostname in it: not trusted.
        assert!(matches!(read_answer(200, r#"{"success":true,"errors":[],"result":null}"#), Err(ProviderError::Refused(_))));
        assert_eq!(read_deletion(200, "{}"), Ok(()));
        assert_eq!(read_deletion(404, "{}"), Ok(()), "already gone is gone");
        assert!(matches!(read_deletion(403, "{}"), Err(ProviderError::Refused(_))));
    }

    #[test]
    fn a_hostname_is_asked_for_with_http_validation() {
        let body: serde_json::Value = serde_json::from_str(&creation_body("learn.example.com")).unwrap();
        assert_eq!(body["hostname"], "learn.example.com");
        assert_eq!(body["ssl"]["method"], "http");
        assert_eq!(body["ssl"]["type"], "dv");
    }
}
