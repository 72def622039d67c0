//! Time zones. A school's zone is an IANA name, spelled and listed as chrono-tz knows the
//! tz database's names (links such as `America/Montreal` included). What a zone means
//! (offsets, daylight saving) comes from a tz database's rules: in the Workers the runtime's
//! own (ICU, read through `Intl`), so the bundle carries no copy (0.85 MB raw, 0.14 MB gzip
//! per Worker); in native builds (unit tests) chrono-tz's. Everything above the offset of an
//! instant — a local time across gaps and overlaps, dates, formatting — is the same code.

use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use std::fmt;

/// An IANA zone the tz database knows, as it spells it (`Europe/Paris`, `UTC`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(&'static str);

/// No zone moves its clocks twice within two days, so the offsets a day either side of a
/// local time are the only ones it can have.
const DAY_MS: i64 = 86_400_000;

impl Zone {
    pub const UTC: Zone = Zone("UTC");

    /// A zone by name (any letter case, spaces around ignored); `None` if unknown.
    pub fn parse(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("UTC") {
            return Some(Zone::UTC);
        }
        if name.is_empty() || name.len() > 64 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b)) {
            return None;
        }
        tzdb::canonical(name).map(Zone)
    }

    pub fn name(self) -> &'static str {
        self.0
    }

    /// Seconds east of UTC at an instant.
    fn offset_at(self, utc_ms: i64) -> i32 {
        if self == Zone::UTC {
            return 0;
        }
        tzdb::offset_seconds(self.0, utc_ms)
    }

    fn offset(self, seconds: i32) -> ZoneOffset {
        ZoneOffset { zone: self, fixed: FixedOffset::east_opt(seconds).unwrap_or(FixedOffset::east_opt(0).expect("zero offset")) }
    }

    /// Every zone name the tz database knows.
    pub fn all_names() -> Vec<&'static str> {
        tzdb::names()
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::str::FromStr for Zone {
    type Err = ();
    fn from_str(s: &str) -> Result<Zone, ()> {
        Zone::parse(s).ok_or(())
    }
}

/// A zone's offset at some instant (chrono's `DateTime<Zone>` keeps it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

impl chrono::Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Debug for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.zone.0, self.fixed)
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fixed)
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
    }

    /// One offset, two (the autumn overlap: earliest instant first) or none (the spring gap).
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let as_utc = local.and_utc().timestamp_millis();
        let mut valid: Vec<i32> = Vec::with_capacity(2);
        for probe in [as_utc - DAY_MS, as_utc + DAY_MS] {
            let seconds = self.offset_at(probe);
            if !valid.contains(&seconds) && self.offset_at(as_utc - seconds as i64 * 1000) == seconds {
                valid.push(seconds);
            }
        }
        // A larger offset means an earlier instant for the same local time.
        valid.sort_unstable_by(|a, b| b.cmp(a));
        match valid[..] {
            [] => MappedLocalTime::None,
            [one] => MappedLocalTime::Single(self.offset(one)),
            [earliest, latest, ..] => MappedLocalTime::Ambiguous(self.offset(earliest), self.offset(latest)),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset(self.offset_at(utc.and_utc().timestamp_millis()))
    }
}

/// Native builds: chrono-tz's copy of the tz database.
#[cfg(not(target_arch = "wasm32"))]
mod tzdb {
    use chrono::{Offset, TimeZone};

    pub use super::known_name as canonical;

    pub fn offset_seconds(name: &str, utc_ms: i64) -> i32 {
        let zone: chrono_tz::Tz = name.parse().unwrap_or(chrono_tz::UTC);
        let at = chrono::DateTime::from_timestamp_millis(utc_ms).unwrap_or_default().naive_utc();
        zone.offset_from_utc_datetime(&at).fix().local_minus_utc()
    }

    pub use super::known_names as names;
}

/// A name of the tz database, as it spells it (any letter case accepted).
pub fn known_name(name: &str) -> Option<&'static str> {
    chrono_tz::Tz::from_str_insensitive(name).ok().map(|z| z.name())
}

pub fn known_names() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect()
}

/// Year, month, day, hour, minute, second from `Intl.DateTimeFormat("en-US")` with every
/// field numeric and 24-hour clock: "12/8/2026, 14:03:05" (month first). `None` unless
/// exactly six numbers.
pub fn us_numeric_fields(text: &str) -> Option<[i64; 6]> {
    let mut numbers = text.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).map(|p| p.parse::<i64>().ok());
    let mut next = || numbers.next().flatten();
    let (month, day, year, hour, minute, second) = (next()?, next()?, next()?, next()?, next()?, next()?);
    numbers.next().is_none().then_some([year, month, day, hour, minute, second])
}

/// In the Workers (and the browser): the runtime's tz database, through `Intl.DateTimeFormat`.
#[cfg(target_arch = "wasm32")]
mod tzdb {
    use js_sys::{Array, Function, Object, Reflect};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        /// A formatter's `format` per zone: building one is the slow part.
        static FORMATS: RefCell<HashMap<&'static str, Function>> = RefCell::new(HashMap::new());
    }

    fn get(target: &JsValue, key: &str) -> Option<JsValue> {
        Reflect::get(target, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
    }

    /// `new Intl.DateTimeFormat("en-US", {timeZone, every field numeric, 24-hour}).format`
    /// (bound to its formatter), or `None` when the runtime does not know the zone (it
    /// throws a RangeError).
    fn format_for(name: &str) -> Option<Function> {
        let intl = get(&js_sys::global(), "Intl")?;
        let constructor = get(&intl, "DateTimeFormat")?.dyn_into::<Function>().ok()?;
        let options = Object::new();
        for (key, value) in [("timeZone", name), ("hourCycle", "h23"), ("year", "numeric"), ("month", "numeric"), ("day", "numeric"), ("hour", "numeric"), ("minute", "numeric"), ("second", "numeric")] {
            Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
        }
        let args = Array::of2(&JsValue::from_str("en-US"), &options);
        let formatter = Reflect::construct(&constructor, &args).ok()?;
        get(&formatter, "format")?.dyn_into::<Function>().ok()
    }

    /// A known name the runtime's database also knows (it always should; a zone newer than
    /// the runtime would otherwise read as UTC).
    pub fn canonical(name: &str) -> Option<&'static str> {
        let name = super::known_name(name)?;
        if FORMATS.with(|f| f.borrow().contains_key(name)) {
            return Some(name);
        }
        let format = format_for(name)?;
        FORMATS.with(|f| f.borrow_mut().insert(name, format));
        Some(name)
    }

    /// Seconds east of UTC: the zone's wall clock at the instant, read back as if it were UTC.
    pub fn offset_seconds(name: &'static str, utc_ms: i64) -> i32 {
        let format = FORMATS.with(|f| f.borrow().get(name).cloned()).or_else(|| {
            let format = format_for(name)?;
            FORMATS.with(|f| f.borrow_mut().insert(name, format.clone()));
            Some(format)
        });
        let Some(format) = format else { return 0 };
        let second = utc_ms.div_euclid(1000) * 1000;
        let date = js_sys::Date::new(&JsValue::from_f64(second as f64));
        // One call and one string back ("12/8/2026, 14:03:05"): reading `formatToParts`'s
        // objects crossed into JavaScript about forty times per offset, and a page of dates
        // asks for hundreds of offsets.
        let text = format.call1(&JsValue::UNDEFINED, &date).ok().and_then(|t| t.as_string());
        let Some(fields) = text.as_deref().and_then(super::us_numeric_fields) else { return 0 };
        let wall = chrono::NaiveDate::from_ymd_opt(fields[0] as i32, fields[1] as u32, fields[2] as u32)
            .and_then(|d| d.and_hms_opt(fields[3] as u32 % 24, fields[4] as u32, fields[5] as u32))
            .map(|t| t.and_utc().timestamp_millis());
        wall.map(|w| ((w - second) / 1000) as i32).unwrap_or(0)
    }

    pub use super::known_names as names;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runtimes_numeric_us_dates_are_read_month_first() {
        assert_eq!(super::us_numeric_fields("12/8/2026, 14:03:05"), Some([2026, 12, 8, 14, 3, 5]));
        assert_eq!(super::us_numeric_fields("1/1/1970, 24:00:00"), Some([1970, 1, 1, 24, 0, 0]));
        assert_eq!(super::us_numeric_fields("3/29/2026,\u{202f}02:30:00"), Some([2026, 3, 29, 2, 30, 0]));
        assert_eq!(super::us_numeric_fields("12/8/2026"), None);
        assert_eq!(super::us_numeric_fields("12/8/2026, 14:03:05 1"), None);
        assert_eq!(super::us_numeric_fields(""), None);
    }

    use super::*;
    use chrono::{NaiveDate, Offset};

    fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, 0).unwrap()
    }

    #[test]
    fn names_are_spelled_as_the_database_does() {
        assert_eq!(Zone::parse(" europe/paris ").map(Zone::name), Some("Europe/Paris"));
        assert_eq!(Zone::parse("utc"), Some(Zone::UTC));
        assert_eq!(Zone::parse("Mars/Olympus"), None);
        assert_eq!(Zone::parse("../../etc"), None);
        assert!(Zone::all_names().contains(&"Asia/Kolkata"));
    }

    #[test]
    fn local_times_in_gaps_and_overlaps() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        let offset = |r: MappedLocalTime<ZoneOffset>| r.map(|o| o.fix().local_minus_utc());
        assert_eq!(offset(paris.offset_from_local_datetime(&local(2026, 1, 10, 9, 0))), MappedLocalTime::Single(3600));
        assert_eq!(offset(paris.offset_from_local_datetime(&local(2026, 7, 10, 9, 0))), MappedLocalTime::Single(7200));
        // 29 March 2026: 02:00 → 03:00; 25 October 2026: 03:00 → 02:00.
        assert_eq!(offset(paris.offset_from_local_datetime(&local(2026, 3, 29, 2, 30))), MappedLocalTime::None);
        assert_eq!(offset(paris.offset_from_local_datetime(&local(2026, 10, 25, 2, 30))), MappedLocalTime::Ambiguous(7200, 3600));
        // Agrees with chrono-tz itself, hour by hour, across a year in zones with odd rules.
        for name in ["Europe/Paris", "America/New_York", "Australia/Adelaide", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"] {
            let ours = Zone::parse(name).unwrap();
            let theirs: chrono_tz::Tz = name.parse().unwrap();
            let mut at = local(2026, 1, 1, 0, 15);
            while at < local(2027, 1, 1, 0, 0) {
                let a = offset(ours.offset_from_local_datetime(&at));
                let b = theirs.offset_from_local_datetime(&at).map(|o| o.fix().local_minus_utc());
                assert_eq!(a, b, "{name} at {at}");
                at += chrono::Duration::minutes(30);
            }
        }
    }
}
