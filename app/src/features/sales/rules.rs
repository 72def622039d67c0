//! Sales, the pure rules: orders grouped by day, week or month (in the school's calendar).

use chrono::{Datelike, Duration, NaiveDate};

/// How orders are grouped on the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn parse(s: &str) -> Period {
        match s {
            "week" => Period::Week,
            "month" => Period::Month,
            _ => Period::Day,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
    /// How many buckets the chart shows: 30 days, 12 weeks, 12 months.
    pub fn buckets(self) -> i64 {
        match self {
            Period::Day => 30,
            Period::Week | Period::Month => 12,
        }
    }

    /// The first day of the bucket a day falls in (weeks start on Monday).
    pub fn start_of(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => d,
            Period::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
            Period::Month => d.with_day(1).unwrap_or(d),
        }
    }

    /// The bucket before `start`.
    fn previous(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => start - Duration::days(1),
            Period::Week => start - Duration::days(7),
            Period::Month => {
                let (y, m) = if start.month() == 1 { (start.year() - 1, 12) } else { (start.year(), start.month() - 1) };
                NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(start)
            }
        }
    }

    /// The buckets' first days, oldest first, ending with today's.
    pub fn range(self, today: NaiveDate) -> Vec<NaiveDate> {
        let mut out = vec![self.start_of(today)];
        for _ in 1..self.buckets() {
            let before = self.previous(out[out.len() - 1]);
            out.push(before);
        }
        out.reverse();
        out
    }
}

/// Paid orders (their local day and amount) summed per bucket: (bucket start, count, amount).
pub fn series(paid: &[(NaiveDate, i64)], period: Period, today: NaiveDate) -> Vec<(NaiveDate, u32, i64)> {
    period
        .range(today)
        .into_iter()
        .map(|start| {
            let inside: Vec<&(NaiveDate, i64)> = paid.iter().filter(|(d, _)| period.start_of(*d) == start).collect();
            (start, inside.len() as u32, inside.iter().map(|(_, a)| a).sum())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn buckets_follow_the_calendar() {
        assert_eq!(Period::Week.start_of(d(2026, 12, 6)), d(2026, 11, 30), "a Sunday's Monday");
        assert_eq!(Period::Month.start_of(d(2026, 12, 6)), d(2026, 12, 1));
        let months = Period::Month.range(d(2026, 2, 10));
        assert_eq!((months.len(), months[0], months[11]), (12, d(2025, 3, 1), d(2026, 2, 1)));
        assert_eq!(Period::Day.range(d(2026, 3, 1))[28], d(2026, 2, 28));
        assert_eq!(Period::parse("nonsense"), Period::Day);
    }

    #[test]
    fn orders_are_counted_and_summed_in_their_bucket() {
        let paid = [(d(2026, 12, 1), 4900), (d(2026, 12, 6), 1000), (d(2026, 11, 29), 500), (d(2020, 1, 1), 99)];
        let weeks = series(&paid, Period::Week, d(2026, 12, 6));
        assert_eq!(weeks.last(), Some(&(d(2026, 11, 30), 2, 5900)));
        assert_eq!(weeks[weeks.len() - 2], (d(2026, 11, 23), 1, 500));
        let total: i64 = weeks.iter().map(|(_, _, a)| a).sum();
        assert_eq!(total, 6400, "orders before the range are left out");
    }
}
