//! Course reports' pure parts: completions per day turned into a series, and that series
//! drawn as an SVG on the server (no chart script in the browser).

use chrono::{Duration, NaiveDate};
use crate::kernel::html::escape;

/// Days the completion chart covers, ending today.
pub const CHART_DAYS: i64 = 30;

/// One value per day from `first` to `last` (inclusive), zero on days with nothing;
/// `per_day` may be in any order and hold days outside the range.
pub fn daily_series(per_day: &[(NaiveDate, u32)], first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, u32)> {
    let mut out = vec![];
    let mut day = first;
    while day <= last {
        let n = per_day.iter().filter(|(d, _)| *d == day).map(|(_, n)| *n).sum();
        out.push((day, n));
        day += Duration::days(1);
    }
    out
}

/// Bars for each day's completions and a line for the running total, with the scale's
/// maximum and the first and last dates written on the axes. `title` is the accessible name.
pub fn completion_chart(series: &[(NaiveDate, u32)], title: &str) -> String {
    const W: f64 = 600.0;
    const H: f64 = 220.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 24.0;
    const TOP: f64 = 16.0;
    let plot_w = W - LEFT - 8.0;
    let plot_h = H - BOTTOM - TOP;
    let days = series.len().max(1) as f64;
    let step = plot_w / days;
    let max_day = series.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let total: u32 = series.iter().map(|(_, n)| *n).sum();
    let max_total = total.max(1) as f64;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = escape(title)
    );
    svg.push_str(&format!(r#"<line x1="{LEFT}" y1="{y}" x2="{x2}" y2="{y}" class="axis"/>"#, y = H - BOTTOM, x2 = W - 8.0));
    let mut running = 0u32;
    let mut points = vec![];
    for (i, (day, n)) in series.iter().enumerate() {
        let x = LEFT + i as f64 * step;
        let bar = plot_h * (*n as f64) / max_day;
        if *n > 0 {
            svg.push_str(&format!(
                r#"<rect class="bar" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{bar:.1}"><title>{day}: {n}</title></rect>"#,
                y = H - BOTTOM - bar,
                w = (step - 2.0).max(1.0)
            ));
        }
        running += n;
        points.push(format!("{:.1},{:.1}", x + step / 2.0, H - BOTTOM - plot_h * running as f64 / max_total));
    }
    if !points.is_empty() {
        svg.push_str(&format!(r#"<polyline class="total" fill="none" points="{}"/>"#, points.join(" ")));
    }
    svg.push_str(&format!(r#"<text x="{x}" y="{y}" class="label" text-anchor="end">{max}</text>"#, x = LEFT - 4.0, y = TOP + 4.0, max = max_day as u32));
    svg.push_str(&format!(r#"<text x="{x}" y="{y}" class="label" text-anchor="end">0</text>"#, x = LEFT - 4.0, y = H - BOTTOM));
    if let (Some((first, _)), Some((last, _))) = (series.first(), series.last()) {
        svg.push_str(&format!(r#"<text x="{LEFT}" y="{y}" class="label">{first}</text>"#, y = H - 6.0));
        svg.push_str(&format!(r#"<text x="{x}" y="{y}" class="label" text-anchor="end">{last}</text>"#, x = W - 8.0, y = H - 6.0));
    }
    svg.push_str(&format!(r#"<text x="{x}" y="{y}" class="label total-label" text-anchor="end">{total}</text>"#, x = W - 8.0, y = TOP + 4.0));
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn a_series_has_every_day_of_the_range() {
        let s = daily_series(&[(d(3), 2), (d(1), 1), (d(3), 1), (d(30), 9)], d(1), d(4));
        assert_eq!(s, vec![(d(1), 1), (d(2), 0), (d(3), 3), (d(4), 0)]);
        assert!(daily_series(&[], d(4), d(1)).is_empty());
    }

    #[test]
    fn the_chart_draws_a_bar_per_active_day_and_the_running_total() {
        let svg = completion_chart(&daily_series(&[(d(2), 4), (d(3), 2)], d(1), d(3)), "Completions <course>");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 2, "no bar on a day with nothing");
        assert!(svg.contains("<title>2026-11-02: 4</title>"));
        assert!(svg.contains("Completions &lt;course&gt;"), "the title is escaped");
        assert!(svg.contains(">6</text>"), "the running total");
        assert_eq!(svg.matches("<polyline").count(), 1);
        // Nothing at all still draws axes, without dividing by zero.
        let empty = completion_chart(&daily_series(&[], d(1), d(2)), "x");
        assert!(!empty.contains("NaN") && !empty.contains("inf"));
    }
}
