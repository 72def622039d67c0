use worker::Env;

/// Deployment settings, read from Worker vars and secrets. URLs in emails are built from
/// these, never from the request's Host header.
#[derive(Debug, Clone)]
pub struct Config {
    pub environment: String,
    /// `localhost:8787` locally; the zone with the wildcard route in production.
    pub base_domain: String,
    pub scheme: String,
    /// Mixed into code hashes; a secret in production.
    pub pepper: String,
    pub email_api_url: Option<String>,
    pub email_api_key: Option<String>,
    /// The provider's webhook signing secret (`whsec_...`): delivery events (bounces).
    pub email_webhook_secret: Option<String>,
    pub email_from: String,
    /// Seals each school's Stripe keys at rest (`payments::crypto`): 64 hex digits, a
    /// secret in production; `None` turns payments off.
    pub payments_key: Option<[u8; 32]>,
    /// Stripe's API (`https://api.stripe.com`); locally and in tests, the stand-in.
    pub stripe_api: String,
    /// Cloudflare for SaaS, which gives schools' own domains their certificates (`None`:
    /// not set up; a saved domain is then only routed).
    pub saas: Option<SaasApi>,
}

/// Cloudflare's API for the platform's zone: custom hostnames (`features::settings::hostnames`).
#[derive(Debug, Clone)]
pub struct SaasApi {
    /// `https://api.cloudflare.com/client/v4`; locally and in tests, the stand-in.
    pub base: String,
    pub zone_id: String,
    /// An API token allowed "SSL and Certificates: Edit" on the zone (a secret).
    pub token: String,
}

/// Used only in dev when no PAYMENTS_KEY is set: local keys are test keys of the stand-in.
const DEV_PAYMENTS_KEY: &str = "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0";

/// Used only when no TOKEN_PEPPER secret is set, which `Config::from_env` refuses outside dev.
const DEV_PEPPER: &str = "dev-only-pepper";

impl Config {
    pub fn from_env(env: &Env) -> Config {
        let var = |k: &str| env.var(k).ok().map(|v| v.to_string()).filter(|v| !v.is_empty());
        let secret = |k: &str| env.secret(k).ok().map(|v| v.to_string()).filter(|v| !v.is_empty());
        let environment = var("ENVIRONMENT").unwrap_or_else(|| "production".into());
        let pepper = secret("TOKEN_PEPPER").or_else(|| var("TOKEN_PEPPER"));
        let pepper = match pepper {
            Some(p) => p,
            None if environment == "dev" => DEV_PEPPER.to_string(),
            // Never run production with a known pepper: codes would hash predictably.
            None => {
                worker::console_error!("TOKEN_PEPPER secret is missing; login codes are disabled");
                String::new()
            }
        };
        Config {
            base_domain: var("BASE_DOMAIN").unwrap_or_else(|| "localhost:8787".into()),
            scheme: var("BASE_SCHEME").unwrap_or_else(|| "https".into()),
            pepper,
            email_api_url: var("EMAIL_API_URL"),
            email_api_key: secret("EMAIL_API_KEY").or_else(|| var("EMAIL_API_KEY")),
            email_webhook_secret: secret("EMAIL_WEBHOOK_SECRET").or_else(|| var("EMAIL_WEBHOOK_SECRET")),
            email_from: var("EMAIL_FROM").unwrap_or_else(|| "Atelier <no-reply@atelier.example>".into()),
            payments_key: secret("PAYMENTS_KEY")
                .or_else(|| var("PAYMENTS_KEY"))
                .or_else(|| (environment == "dev").then(|| DEV_PAYMENTS_KEY.to_string()))
                .and_then(|k| crate::kernel::token::from_hex_32(&k)),
            stripe_api: var("STRIPE_API_BASE").unwrap_or_else(|| "https://api.stripe.com".into()).trim_end_matches('/').to_string(),
            saas: match (var("SAAS_ZONE_ID"), secret("CLOUDFLARE_API_TOKEN").or_else(|| var("CLOUDFLARE_API_TOKEN"))) {
                (Some(zone_id), Some(token)) => Some(SaasApi {
                    base: var("CLOUDFLARE_API_BASE").unwrap_or_else(|| "https://api.cloudflare.com/client/v4".into()).trim_end_matches('/').to_string(),
                    zone_id,
                    token,
                }),
                _ => None,
            },
            environment,
        }
    }
    pub fn is_dev(&self) -> bool {
        self.environment == "dev"
    }
    pub fn platform_url(&self) -> String {
        format!("{}://{}", self.scheme, self.base_domain)
    }
    pub fn school_url(&self, slug: &str) -> String {
        format!("{}://{}.{}", self.scheme, slug, self.base_domain)
    }
}
