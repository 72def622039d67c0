//! Times as people read them: in the school's time zone (IANA name, daylight saving
//! included), in their language. Storage stays UTC milliseconds.

use crate::kernel::i18n::Locale;
pub use crate::kernel::zone::Zone;
use chrono::{DateTime, TimeZone, Utc};

/// A zone a school may choose: an IANA name the tz database knows (`Europe/Paris`, `UTC`),
/// as it spells it.
pub fn parse_zone(name: &str) -> Option<&'static str> {
    Zone::parse(name).map(Zone::name)
}

/// The zones offered in settings: every IANA region/city zone, and UTC; not the legacy
/// aliases (`US/Eastern`, `Etc/GMT+5`...) that only confuse the choice.
pub fn zone_choices() -> impl Iterator<Item = &'static str> {
    const REGIONS: [&str; 10] = ["Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/"];
    std::iter::once("UTC").chain(Zone::all_names().into_iter().filter(|n| REGIONS.iter().any(|r| n.starts_with(r))))
}

/// The zone a school's times are shown in; an unknown name falls back to UTC, visibly.
pub fn zone(name: &str) -> Zone {
    Zone::parse(name).unwrap_or(Zone::UTC)
}

fn local(ms: i64, zone_name: &str) -> Option<DateTime<Zone>> {
    let utc = DateTime::<Utc>::from_timestamp_millis(ms)?;
    Some(zone(zone_name).from_utc_datetime(&utc.naive_utc()))
}

/// "2026-11-21": the school's calendar day (daily counts are kept per local day).
pub fn local_day(ms: i64, zone_name: &str) -> String {
    local(ms, zone_name).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// "10:42".
pub fn clock_time(ms: i64, zone_name: &str) -> String {
    local(ms, zone_name).map(|d| d.format("%H:%M").to_string()).unwrap_or_default()
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_FR: [&str; 12] = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

/// "21 Nov 2026, 10:42" / "21 nov. 2026 à 10:42".
pub fn date_time(ms: i64, zone_name: &str, locale: Locale) -> String {
    use chrono::{Datelike, Timelike};
    let Some(d) = local(ms, zone_name) else { return String::new() };
    let month = d.month0() as usize;
    match locale {
        Locale::En => format!("{} {} {}, {:02}:{:02}", d.day(), MONTHS_EN[month], d.year(), d.hour(), d.minute()),
        Locale::Fr => format!("{} {} {} à {:02}:{:02}", d.day(), MONTHS_FR[month], d.year(), d.hour(), d.minute()),
    }
}

/// "21 Nov 2026" / "21 nov. 2026", the day in the school's time.
pub fn date(ms: i64, zone_name: &str, locale: Locale) -> String {
    use chrono::Datelike;
    let Some(d) = local(ms, zone_name) else { return String::new() };
    let month = d.month0() as usize;
    match locale {
        Locale::En => format!("{} {} {}", d.day(), MONTHS_EN[month], d.year()),
        Locale::Fr => format!("{} {} {}", d.day(), MONTHS_FR[month], d.year()),
    }
}

const MONTHS_EN_LONG: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const MONTHS_FR_LONG: [&str; 12] = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

/// "3 March 2027" / "1er mars 2027": a date written out in full, as on a certificate.
pub fn long_date(ms: i64, zone_name: &str, locale: Locale) -> String {
    local(ms, zone_name).map(|d| long_day(d.date_naive(), locale)).unwrap_or_default()
}

/// `long_date` for a calendar day.
pub fn long_day(d: chrono::NaiveDate, locale: Locale) -> String {
    use chrono::Datelike;
    let month = d.month0() as usize;
    match locale {
        Locale::En => format!("{} {} {}", d.day(), MONTHS_EN_LONG[month], d.year()),
        Locale::Fr if d.day() == 1 => format!("1er {} {}", MONTHS_FR_LONG[month], d.year()),
        Locale::Fr => format!("{} {} {}", d.day(), MONTHS_FR_LONG[month], d.year()),
    }
}

const DAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

/// The place a zone is named after: "Europe/Paris" -> "Paris", "America/New_York" -> "New York".
pub fn zone_city(zone_name: &str) -> String {
    zone_name.rsplit('/').next().unwrap_or(zone_name).replace('_', " ")
}

/// "Tue 3 Mar at 09:00, Paris time" / "mar. 3 mars à 09:00, heure de Paris".
pub fn weekday_date_time(ms: i64, zone_name: &str, locale: Locale) -> String {
    use chrono::{Datelike, Timelike};
    let Some(d) = local(ms, zone_name) else { return String::new() };
    let (wd, month, city) = (d.weekday().num_days_from_monday() as usize, d.month0() as usize, zone_city(zone(zone_name).name()));
    // UTC is no place: "09:00 UTC", not "UTC time".
    match (locale, city == "UTC") {
        (Locale::En, true) => format!("{} {} {} at {:02}:{:02} UTC", DAYS_EN[wd], d.day(), MONTHS_EN[month], d.hour(), d.minute()),
        (Locale::Fr, true) => format!("{} {} {} à {:02}:{:02} UTC", DAYS_FR[wd], d.day(), MONTHS_FR[month], d.hour(), d.minute()),
        (Locale::En, false) => format!("{} {} {} at {:02}:{:02}, {city} time", DAYS_EN[wd], d.day(), MONTHS_EN[month], d.hour(), d.minute()),
        (Locale::Fr, false) => format!("{} {} {} à {:02}:{:02}, heure de {city}", DAYS_FR[wd], d.day(), MONTHS_FR[month], d.hour(), d.minute()),
    }
}

/// Whole hours from `now` until `then`, rounded up (a lesson closing in 90 minutes closes
/// "in 2 hours").
pub fn hours_until(now: i64, then: i64) -> i64 {
    ((then - now).max(0) + 3_599_999) / 3_600_000
}

/// "2 minutes ago" / "il y a 2 minutes"; "just now" under a minute.
pub fn ago(now: i64, then: i64, locale: Locale) -> String {
    let minutes = (now - then).max(0) / 60_000;
    let (n, unit_en, unit_fr) = if minutes < 1 {
        return match locale {
            Locale::En => "just now".into(),
            Locale::Fr => "à l'instant".into(),
        };
    } else if minutes < 60 {
        (minutes, "minute", "minute")
    } else if minutes < 48 * 60 {
        (minutes / 60, "hour", "heure")
    } else {
        (minutes / (24 * 60), "day", "jour")
    };
    let plural = if n > 1 { "s" } else { "" };
    match locale {
        Locale::En => format!("{n} {unit_en}{plural} ago"),
        Locale::Fr => format!("il y a {n} {unit_fr}{plural}"),
    }
}

/// When the person may try again (unix ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAt(pub i64);

impl RetryAt {
    /// Whole minutes to wait, rounded up, at least 1: what the message says.
    pub fn minutes_from(self, now: i64) -> i64 {
        ((self.0 - now).max(1) + 60_000 - 1) / 60_000
    }
}

#[cfg(test)]
mod zone_tests {
    use super::*;

    #[test]
    fn zones_are_iana_names() {
        assert_eq!(parse_zone(" America/New_York "), Some("America/New_York"));
        assert_eq!(parse_zone("UTC"), Some("UTC"));
        assert_eq!(parse_zone("Mars/Olympus"), None);
        assert_eq!(parse_zone("<script>"), None);
        let choices: Vec<&str> = zone_choices().collect();
        assert!(choices.contains(&"Europe/Paris") && choices.contains(&"Asia/Kolkata") && choices.contains(&"UTC"));
        assert!(!choices.iter().any(|z| z.starts_with("US/") || z.starts_with("Etc/")));
        assert!(choices.iter().all(|z| parse_zone(z).is_some()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-03-29 01:00 UTC: Paris moves from UTC+1 to UTC+2.
    const BEFORE_DST: i64 = 1_774_745_940_000; // 00:59 UTC
    const AFTER_DST: i64 = 1_774_746_060_000; // 01:01 UTC

    #[test]
    fn clock_time_follows_daylight_saving() {
        assert_eq!(clock_time(BEFORE_DST, "Europe/Paris"), "01:59");
        assert_eq!(clock_time(AFTER_DST, "Europe/Paris"), "03:01");
        assert_eq!(clock_time(AFTER_DST, "UTC"), "01:01");
    }

    #[test]
    fn unknown_zones_fall_back_to_utc() {
        assert_eq!(clock_time(AFTER_DST, "Mars/Olympus"), "01:01");
    }

    #[test]
    fn opening_dates_read_like_a_calendar() {
        // 3 March 2026 08:00 UTC is a Tuesday, 09:00 in Paris.
        let ms = 1_772_524_800_000;
        assert_eq!(weekday_date_time(ms, "Europe/Paris", Locale::En), "Tue 3 Mar at 09:00, Paris time");
        assert!(weekday_date_time(ms, "UTC", Locale::Fr).ends_with(" UTC") && !weekday_date_time(ms, "UTC", Locale::En).contains("UTC time"));
        assert_eq!(weekday_date_time(ms, "Europe/Paris", Locale::Fr), "mar. 3 mars à 09:00, heure de Paris");
        assert_eq!(zone_city("America/New_York"), "New York");
        assert_eq!(hours_until(0, 90 * 60_000), 2);
        assert_eq!(hours_until(10, 0), 0);
    }

    #[test]
    fn ago_reads_naturally() {
        assert_eq!(ago(120_000, 0, Locale::En), "2 minutes ago");
        assert_eq!(ago(30_000, 0, Locale::En), "just now");
        assert_eq!(ago(60_000, 0, Locale::Fr), "il y a 1 minute");
        assert_eq!(ago(3 * 3_600_000, 0, Locale::En), "3 hours ago");
        assert_eq!(ago(3 * 86_400_000, 0, Locale::Fr), "il y a 3 jours");
    }

    #[test]
    fn date_time_in_both_languages() {
        assert_eq!(date_time(AFTER_DST, "Europe/Paris", Locale::En), "29 Mar 2026, 03:01");
        assert_eq!(date_time(AFTER_DST, "Europe/Paris", Locale::Fr), "29 mars 2026 à 03:01");
    }
}
