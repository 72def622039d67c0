//! Requests for a school's own domain (`learn.example.com`): served as the school's
//! subdomain — the Host everything after reads — with the domain kept aside for the origin
//! check (`guard::write_check`: the browser's Origin is the domain). A host that is neither
//! the platform's nor a school's gets the platform's 404. In production, Cloudflare for SaaS
//! brings the domain's requests to this Worker; in dev, any Host header does.

use app::kernel::config::Config;
use app::kernel::host::site_for_host;
use http::header;
use worker::Env;

/// The domain the browser asked for, set here only (an incoming one is dropped first).
pub const ORIGINAL_HOST: &str = "x-atelier-custom-host";

pub async fn route(mut req: worker::HttpRequest, env: &Env, config: &Config, now: i64) -> Result<worker::HttpRequest, http::Response<axum::body::Body>> {
    req.headers_mut().remove(ORIGINAL_HOST);
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_string();
    // The platform's own hosts, an address by IP (in production nothing reaches a Worker by
    // IP) and the dev tools (the dev mailbox, on any host) are left as they were.
    let name = host.rsplit_once(':').map_or(host.as_str(), |(n, _)| n);
    let dev_tool = config.is_dev() && req.uri().path().starts_with("/_dev/");
    if dev_tool || site_for_host(&host, &config.base_domain).is_some() || name.parse::<std::net::IpAddr>().is_ok() || name.starts_with('[') {
        return Ok(req);
    }
    let locale = app::kernel::i18n::Locale::from_accept_language(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("")).unwrap_or_default();
    let Ok(db) = env.d1("DB") else { return Err(crate::guard::plain(http::StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable.")) };
    match app::kernel::custom_domains::slug_for(&db, &host, now).await {
        Ok(Some(slug)) => {
            let school_host = format!("{slug}.{}", config.base_domain);
            let (Ok(school), Ok(original)) = (http::HeaderValue::from_str(&school_host), http::HeaderValue::from_str(&host)) else {
                return Err(crate::guard::unknown_school(locale, config));
            };
            req.headers_mut().insert(header::HOST, school);
            req.headers_mut().insert(ORIGINAL_HOST, original);
            Ok(req)
        }
        Ok(None) => Err(crate::guard::unknown_school(locale, config)),
        Err(_) => Err(crate::guard::plain(http::StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable, please try again in a moment.")),
    }
}
