//! Offers, the pure rules: prices in minor units (cents, never floats), what a price looks
//! like in each language, how long an offer's access lasts, and whether a visitor may join
//! it now. No I/O; unit-tested here.

use crate::kernel::i18n::Locale;
use crate::kernel::states::stored_enum;

/// A price above this is a typing mistake (1,000,000.00 in any currency).
pub const MAX_PRICE_MINOR: i64 = 100_000_000;
/// An offer's name, as shown on the course page.
pub const MAX_NAME_CHARS: usize = 80;
/// What an offer includes, in the creator's words.
pub const MAX_SUMMARY_CHARS: usize = 500;
/// The longest access length an offer can give, in days (ten years).
pub const MAX_ACCESS_DAYS: i64 = 3650;

stored_enum! {
    /// The currencies a school can price in (two decimals each).
    Currency in "offers.currency" { Eur = "EUR", Usd = "USD", Gbp = "GBP", Chf = "CHF", Cad = "CAD" }
}

stored_enum! {
    /// Whether visitors may join an offer now. A closed offer keeps its students.
    OfferStatus in "offers.status" { Open = "open", Closed = "closed" }
}

stored_enum! {
    /// A student's request to join an offer "on request".
    RequestStatus in "join_requests.status" { Pending = "pending", Approved = "approved", Declined = "declined" }
}

stored_enum! {
    /// How long an offer's access lasts: for good, a number of days from joining, or until a date.
    AccessKind in "offers.access_kind" { Forever = "forever", Days = "days", Until = "until" }
}

impl Currency {
    fn symbol(self) -> &'static str {
        match self {
            Currency::Eur => "€",
            Currency::Usd => "$",
            Currency::Gbp => "£",
            Currency::Chf => "CHF",
            Currency::Cad => "CA$",
        }
    }
}

/// An amount in a currency's minor unit (cents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn is_free(self) -> bool {
        self.minor == 0
    }

    /// "49,90 €" in French, "€49.90" in English; whole amounts keep their cents ("49,00 €"),
    /// as a price tag does. Thousands are grouped ("1 250,00 €", "€1,250.00").
    pub fn format(self, locale: Locale) -> String {
        let (units, cents) = (self.minor / 100, self.minor % 100);
        let digits = units.to_string();
        let group = if locale == Locale::Fr { '\u{202f}' } else { ',' };
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let symbol = self.currency.symbol();
        match locale {
            Locale::Fr => format!("{grouped},{cents:02}\u{a0}{symbol}"),
            Locale::En if symbol.chars().count() > 1 => format!("{symbol}\u{a0}{grouped}.{cents:02}"),
            Locale::En => format!("{symbol}{grouped}.{cents:02}"),
        }
    }
}

/// A price as typed by the creator ("49", "49.9", "49,90", empty for free) into minor units.
pub fn parse_price(text: &str) -> Result<i64, &'static str> {
    let text = text.trim().replace([' ', '\u{a0}', '\u{202f}'], "");
    if text.is_empty() {
        return Ok(0);
    }
    let (units, cents) = match text.split_once(['.', ',']) {
        Some((u, c)) => (u, Some(c)),
        None => (text.as_str(), None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || cents.is_some_and(|c| !digits(c) || c.len() > 2) || units.len() > 9 {
        return Err("price_invalid");
    }
    let units: i64 = units.parse().map_err(|_| "price_invalid")?;
    let cents: i64 = match cents {
        None => 0,
        Some(c) => format!("{c:0<2}").parse().map_err(|_| "price_invalid")?,
    };
    let minor = units * 100 + cents;
    if minor > MAX_PRICE_MINOR {
        return Err("price_too_high");
    }
    Ok(minor)
}

/// An offer's access length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Forever,
    Days(i64),
    /// Until this instant (the end of a day in the school's time).
    Until(i64),
}

impl Access {
    pub fn from_columns(kind: AccessKind, days: Option<i64>, until: Option<i64>) -> Access {
        match (kind, days, until) {
            (AccessKind::Days, Some(d), _) => Access::Days(d),
            (AccessKind::Until, _, Some(u)) => Access::Until(u),
            _ => Access::Forever,
        }
    }

    /// When access given at `start` ends (`None`: never).
    pub fn end(self, start: i64) -> Option<i64> {
        match self {
            Access::Forever => None,
            Access::Days(d) => Some(start + d * 86_400_000),
            Access::Until(u) => Some(u),
        }
    }
}

/// Why a visitor cannot join an offer now (a message key).
pub fn may_join(status: OfferStatus, access: Access, seats: Option<i64>, taken: i64, now: i64) -> Result<(), &'static str> {
    if status == OfferStatus::Closed {
        return Err("offer_closed");
    }
    if let Access::Until(u) = access {
        if u <= now {
            return Err("offer_ended");
        }
    }
    if seats.is_some_and(|s| taken >= s) {
        return Err("offer_full");
    }
    Ok(())
}

/// Seats still free (`None`: no limit).
pub fn seats_left(seats: Option<i64>, taken: i64) -> Option<i64> {
    seats.map(|s| (s - taken).max(0))
}

/// An offer as the creator's form gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferInput {
    pub name: String,
    pub summary: String,
    pub price_minor: i64,
    pub access_kind: AccessKind,
    pub access_days: Option<i64>,
    /// The last day of access (the school's calendar).
    pub access_until: Option<chrono::NaiveDate>,
    pub seats: Option<i64>,
    pub status: OfferStatus,
    /// The creator approves each student.
    pub on_request: bool,
}

/// Reads the offer form; an error is the message key of the first field that is wrong.
#[allow(clippy::too_many_arguments)]
pub fn parse_offer(name: &str, summary: &str, price: &str, access_kind: &str, days: &str, until: &str, seats: &str, open: bool, on_request: bool) -> Result<OfferInput, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("offer_name_required");
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err("offer_name_too_long");
    }
    let summary = summary.trim();
    if summary.chars().count() > MAX_SUMMARY_CHARS || summary.chars().any(crate::kernel::validate::is_stray_control) {
        return Err("offer_summary_too_long");
    }
    let price_minor = parse_price(price)?;
    let access_kind = AccessKind::parse(access_kind).ok_or("offer_access_invalid")?;
    let (access_days, access_until) = match access_kind {
        AccessKind::Forever => (None, None),
        AccessKind::Days => match days.trim().parse::<i64>() {
            Ok(d) if (1..=MAX_ACCESS_DAYS).contains(&d) => (Some(d), None),
            _ => return Err("offer_days_invalid"),
        },
        AccessKind::Until => match crate::kernel::validate::optional_date(until) {
            Ok(Some(d)) => (None, Some(d)),
            _ => return Err("offer_until_invalid"),
        },
    };
    let seats = match seats.trim() {
        "" => None,
        n => match n.parse::<i64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => Some(n),
            _ => return Err("offer_seats_invalid"),
        },
    };
    Ok(OfferInput {
        name: name.to_string(),
        summary: summary.to_string(),
        price_minor,
        access_kind,
        access_days,
        access_until,
        seats,
        status: if open { OfferStatus::Open } else { OfferStatus::Closed },
        on_request,
    })
}

/// A cohort's first day as typed (`YYYY-MM-DD`, empty: no cohort); it must come before an
/// access that ends on a date.
pub fn parse_cohort(typed: &str, access_until: Option<chrono::NaiveDate>) -> Result<Option<chrono::NaiveDate>, &'static str> {
    match crate::kernel::validate::optional_date(typed) {
        Ok(Some(d)) if access_until.is_some_and(|u| d > u) => Err("offer_cohort_after_end"),
        Ok(d) => Ok(d),
        Err(_) => Err("offer_cohort_invalid"),
    }
}

/// When a student joining at `now` starts: the cohort's first day, or now.
pub fn access_start(cohort_start: Option<i64>, now: i64) -> i64 {
    cohort_start.unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money { minor, currency: Currency::Eur }
    }

    #[test]
    fn prices_parse_to_cents_without_floats() {
        assert_eq!(parse_price(""), Ok(0));
        assert_eq!(parse_price("49"), Ok(4900));
        assert_eq!(parse_price("49.9"), Ok(4990));
        assert_eq!(parse_price("49,90"), Ok(4990));
        assert_eq!(parse_price(" 1 250,05 "), Ok(125_005));
        assert_eq!(parse_price("0.07"), Ok(7));
        for bad in ["-5", "4.999", "abc", "1e3", ".5", "5.", "12,3,4"] {
            assert_eq!(parse_price(bad), Err("price_invalid"), "{bad}");
        }
        assert_eq!(parse_price("1000000.01"), Err("price_too_high"));
        assert_eq!(parse_price("1000000"), Ok(MAX_PRICE_MINOR));
    }

    #[test]
    fn prices_read_as_each_language_writes_them() {
        assert_eq!(eur(4990).format(Locale::Fr), "49,90\u{a0}€");
        assert_eq!(eur(4900).format(Locale::En), "€49.00");
        assert_eq!(eur(125_000).format(Locale::Fr), "1\u{202f}250,00\u{a0}€");
        assert_eq!(eur(125_000).format(Locale::En), "€1,250.00");
        assert_eq!(Money { minor: 100_000_000, currency: Currency::Usd }.format(Locale::En), "$1,000,000.00");
        assert_eq!(Money { minor: 5, currency: Currency::Chf }.format(Locale::En), "CHF\u{a0}0.05");
        assert!(eur(0).is_free());
    }

    #[test]
    fn every_typed_price_formats_back_to_itself() {
        for minor in [0, 1, 9, 10, 99, 100, 101, 999, 1000, 12_345, 99_999_999, MAX_PRICE_MINOR] {
            let typed = eur(minor).format(Locale::Fr).replace("\u{a0}€", "");
            assert_eq!(parse_price(&typed), Ok(minor), "{typed}");
        }
    }

    #[test]
    fn a_cohort_starts_everyone_on_its_day_before_its_end() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(parse_cohort("", None), Ok(None));
        assert_eq!(parse_cohort("2027-01-05", None), Ok(day("2027-01-05")));
        assert_eq!(parse_cohort("2027-01-05", day("2027-01-04")), Err("offer_cohort_after_end"));
        assert_eq!(parse_cohort("5 janvier", None), Err("offer_cohort_invalid"));
        assert_eq!(access_start(Some(500), 100), 500);
        assert_eq!(access_start(Some(50), 100), 50, "a late joiner starts with the cohort");
        assert_eq!(access_start(None, 100), 100);
        // The length counts from the cohort's first day.
        assert_eq!(Access::Days(2).end(access_start(Some(500), 100)), Some(500 + 2 * 86_400_000));
    }

    #[test]
    fn access_ends_by_kind() {
        let day = 86_400_000;
        assert_eq!(Access::from_columns(AccessKind::Forever, Some(3), None).end(10), None);
        assert_eq!(Access::from_columns(AccessKind::Days, Some(30), None).end(10), Some(10 + 30 * day));
        assert_eq!(Access::from_columns(AccessKind::Until, None, Some(99)).end(10), Some(99));
        // A kind without its column gives access for good rather than none.
        assert_eq!(Access::from_columns(AccessKind::Days, None, None), Access::Forever);
    }

    #[test]
    fn joining_needs_an_open_offer_with_a_seat_before_its_end() {
        let open = OfferStatus::Open;
        assert_eq!(may_join(open, Access::Forever, None, 1_000, 0), Ok(()));
        assert_eq!(may_join(OfferStatus::Closed, Access::Forever, None, 0, 0), Err("offer_closed"));
        assert_eq!(may_join(open, Access::Forever, Some(2), 2, 0), Err("offer_full"));
        assert_eq!(may_join(open, Access::Forever, Some(2), 1, 0), Ok(()));
        assert_eq!(may_join(open, Access::Until(100), None, 0, 100), Err("offer_ended"));
        assert_eq!(seats_left(Some(2), 5), Some(0));
        assert_eq!(seats_left(None, 5), None);
    }

    #[test]
    fn the_offer_form_names_its_first_wrong_field() {
        let ok = parse_offer(" Essentiel ", "", "", "days", "30", "", "", true, false).unwrap();
        assert_eq!((ok.name.as_str(), ok.price_minor, ok.access_days, ok.status), ("Essentiel", 0, Some(30), OfferStatus::Open));
        assert_eq!(parse_offer("", "", "", "forever", "", "", "", true, false), Err("offer_name_required"));
        assert_eq!(parse_offer("a", "", "x", "forever", "", "", "", true, false), Err("price_invalid"));
        assert_eq!(parse_offer("a", "", "", "days", "0", "", "", true, false), Err("offer_days_invalid"));
        assert_eq!(parse_offer("a", "", "", "days", "3651", "", "", true, false), Err("offer_days_invalid"));
        assert_eq!(parse_offer("a", "", "", "until", "", "2026-02-30", "", true, false), Err("offer_until_invalid"));
        assert_eq!(parse_offer("a", "", "", "sometimes", "", "", "", true, false), Err("offer_access_invalid"));
        assert_eq!(parse_offer("a", "", "", "forever", "", "", "0", true, false), Err("offer_seats_invalid"));
        let until = parse_offer("a", "", "", "until", "", "2027-01-31", "12", false, false).unwrap();
        assert_eq!((until.access_until.map(|d| d.to_string()), until.seats, until.status), (Some("2027-01-31".into()), Some(12), OfferStatus::Closed));
        // Days typed for another kind are not kept.
        assert_eq!(parse_offer("a", "", "", "forever", "30", "2027-01-31", "", true, false).unwrap().access_days, None);
    }
}
