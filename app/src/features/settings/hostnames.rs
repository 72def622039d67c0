//! A school's own domain at Cloudflare for SaaS: saving `learn.example.com` registers it as a
//! custom hostname on the platform's zone (Cloudflare then issues its certificate and sends
//! its requests to the Worker, which serves them as the school's: `kernel::custom_domains`);
//! changing or removing the domain deletes the old one. Until the creator's DNS records are
//! in place the hostname waits; saving the same domain again asks again, and the hourly cron does.
//!
//! Cloudflare's API (`{base}/zones/{zone}/custom_hostnames`): JSON, `{success, errors, result}`.

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    pub kind: String,
    pub name: String,
    pub value: String,
}

impl DnsRecord {
    /// Records as kept in D1: a JSON list of `{type, name, value}`.
    pub fn list_to_json(records: &[DnsRecord]) -> String {
        serde_json::Value::Array(records.iter().map(|r| serde_json::json!({ "type": r.kind, "name": r.name, "value": r.value })).collect()).to_string()
    }

    /// `list_to_json`'s text read back (anything else: none).
    pub fn list_from_json(json: &str) -> Vec<DnsRecord> {
        let list: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        let text = |v: &serde_json::Value| v.as_str().map(String::from);
        list.as_array().into_iter().flatten().filter_map(|r| Some(DnsRecord { kind: text(&r["type"])?, name: text(&r["name"])?, value: text(&r["value"])? })).collect()
    }
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

/// Cloudflare's answer about one custom hostname (created or read), by HTTP status and body.
/// (Read as JSON values: the admin Worker's size budget has no room for a decoder per shape.)
pub fn read_answer(status: u16, body: &str) -> Result<Hostname, ProviderError> {
    let Ok(envelope) = serde_json::from_str::<serde_json::Value>(body) else {
        return Err(ProviderError::Unreachable(format!("HTTP {status}, not Cloudflare's JSON")));
    };
    let said = || {
        let errors = envelope["errors"].as_array().cloned().unwrap_or_default();
        errors.iter().map(|e| format!("{} {}", e["code"], e["message"].as_str().unwrap_or(""))).collect::<Vec<_>>().join("; ")
    };
    if status == 404 {
        return Err(ProviderError::NotFound);
    }
    if status >= 500 {
        return Err(ProviderError::Unreachable(format!("HTTP {status}: {}", said())));
    }
    let found = &envelope["result"];
    let id = found["id"].as_str().filter(|_| envelope["success"] == true && (200..300).contains(&status));
    let Some(id) = id else { return Err(ProviderError::Refused(format!("HTTP {status}: {}", said()))) };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let txt = |name: &serde_json::Value, value: &serde_json::Value| DnsRecord { kind: "TXT".into(), name: text(name), value: text(value) };
    let ownership = &found["ownership_verification"];
    let mut records: Vec<DnsRecord> = ownership["type"].as_str().filter(|k| k.eq_ignore_ascii_case("txt")).map(|_| txt(&ownership["name"], &ownership["value"])).into_iter().collect();
    // A certificate validated by TXT records (method "txt") asks for its own.
    for r in found["ssl"]["validation_records"].as_array().into_iter().flatten() {
        if r["txt_name"].is_string() && r["txt_value"].is_string() {
            records.push(txt(&r["txt_name"], &r["txt_value"]));
        }
    }
    Ok(Hostname { id: id.to_string(), state: HostnameState::of(found["status"].as_str().unwrap_or(""), found["ssl"]["status"].as_str().unwrap_or("")), records })
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
        let records = DnsRecord::list_to_json(&found.records);
        run(
            db,
            "UPDATE schools SET custom_hostname_state = ?1, custom_hostname_records = ?2, custom_hostname_checked_at = ?3 WHERE id = ?4 AND custom_hostname_id = ?5",
            &[text(found.state.as_str()), text(&records), int(now), int(school_id), text(&found.id)],
        )
        .await?;
        Ok(())
    }

    /// Asks Cloudflare where a school's hostname stands and keeps the answer: its state, or
    /// `Refused` when Cloudflare no longer has it (deleted there by hand).
    pub async fn refresh(db: &worker::D1Database, api: &SaasApi, school_id: i64, hostname_id: &str, now: i64) -> Result<Result<HostnameState, ProviderError>, AppError> {
        match read(api, hostname_id).await {
            Ok(found) => {
                store(db, school_id, &found, now).await?;
                Ok(Ok(found.state))
            }
            Err(ProviderError::NotFound) => {
                run(db, "UPDATE schools SET custom_hostname_state = 'refused', custom_hostname_checked_at = ?1 WHERE id = ?2", &[int(now), int(school_id)]).await?;
                Ok(Ok(HostnameState::Refused))
            }
            Err(e) => Ok(Err(e)),
        }
    }

    /// The hourly pass: asks Cloudflare again about hostnames still waiting (oldest asked
    /// first), so a domain goes live without the creator coming back to check.
    pub async fn refresh_waiting(db: &worker::D1Database, api: &SaasApi, now: i64) -> Result<usize, AppError> {
        let stmt = crate::kernel::db::stmt(
            db,
            "SELECT id, custom_hostname_id FROM schools WHERE custom_hostname_state = 'waiting' AND custom_hostname_id IS NOT NULL ORDER BY custom_hostname_checked_at LIMIT ?1",
            &[int(REFRESHED_PER_RUN)],
        )?;
        let waiting: Vec<serde_json::Value> = rows(&stmt.all().await?)?;
        let mut refreshed = 0;
        for w in waiting {
            let (Some(school), Some(hostname)) = (w["id"].as_i64(), w["custom_hostname_id"].as_str()) else { continue };
            match refresh(db, api, school, hostname, now).await? {
                Ok(_) => refreshed += 1,
                Err(e) => worker::console_error!("custom hostname {hostname} not refreshed: {e:?}"),
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
    fn records_are_kept_as_json_and_read_back() {
        let records = vec![DnsRecord { kind: "TXT".into(), name: "_cf-custom-hostname.a.example".into(), value: "v\"1".into() }];
        assert_eq!(DnsRecord::list_from_json(&DnsRecord::list_to_json(&records)), records);
        assert_eq!(DnsRecord::list_from_json("not json"), vec![]);
    }

    #[test]
    fn a_hostname_is_asked_for_with_http_validation() {
        let body: serde_json::Value = serde_json::from_str(&creation_body("learn.example.com")).unwrap();
        assert_eq!(body["hostname"], "learn.example.com");
        assert_eq!(body["ssl"]["method"], "http");
        assert_eq!(body["ssl"]["type"], "dv");
    }
}
