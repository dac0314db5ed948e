//! The burndown as an inline SVG line chart, drawn here (no script, no library): failing
//! sites over the runs' dates, with excepted sites as a dashed second line.

use std::fmt::Write;

use crate::date::Date;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// One run on the chart.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub date: Date,
    pub failing: usize,
    pub excepted: usize,
}

/// The chart as an `<svg>` element. Runs are placed by date (runs of one day side by side);
/// the y axis starts at 0 and ends at a round number at or above the highest count.
pub fn burndown(points: &[Point]) -> String {
    let highest = points
        .iter()
        .map(|p| p.failing.max(p.excepted))
        .max()
        .unwrap_or(0);
    let step = round_step(highest.div_ceil(4));
    let top = step * 4;
    let xs = x_positions(points);
    let y = |count: usize| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - count as f64 / top as f64);
    let mut svg = format!(
        "<svg class=\"burndown\" role=\"img\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         xmlns=\"http://www.w3.org/2000/svg\" aria-labelledby=\"burndown-title\">\
         <title id=\"burndown-title\">Failing sites over time</title>"
    );
    for tick in 0..=4 {
        let value = tick * step;
        let at = y(value);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{at:.1}\" x2=\"{:.1}\" y2=\"{at:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{value}</text>",
            WIDTH - RIGHT,
            LEFT - 8.0,
            at + 4.0
        );
    }
    let line = |count: fn(&Point) -> usize| {
        points
            .iter()
            .zip(&xs)
            .enumerate()
            .map(|(i, (p, x))| {
                format!(
                    "{}{x:.1} {:.1}",
                    if i == 0 { "M" } else { " L" },
                    y(count(p))
                )
            })
            .collect::<String>()
    };
    if let (Some(first), Some(last)) = (xs.first(), xs.last()) {
        let base = y(0);
        let _ = write!(
            svg,
            "<path class=\"area\" d=\"{} L{last:.1} {base:.1} L{first:.1} {base:.1} Z\"/>",
            line(|p| p.failing)
        );
        let _ = write!(
            svg,
            "<path class=\"excepted\" d=\"{}\"/><path class=\"failing\" d=\"{}\"/>",
            line(|p| p.excepted),
            line(|p| p.failing)
        );
    }
    for (p, x) in points.iter().zip(&xs) {
        let date = crate::date::format_date(p.date);
        let _ = write!(
            svg,
            "<circle class=\"point\" cx=\"{x:.1}\" cy=\"{:.1}\" r=\"4.5\">\
             <title>{date}: {} failing, {} excepted</title></circle>\
             <text class=\"value\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text class=\"date\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{date}</text>",
            y(p.failing),
            p.failing,
            p.excepted,
            y(p.failing) - 10.0,
            p.failing,
            HEIGHT - BOTTOM + 20.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The smallest 1, 2 or 5 times a power of ten at or above `raw`: ticks people can read.
fn round_step(raw: usize) -> usize {
    let mut power: usize = 1;
    loop {
        for multiple in [1, 2, 5] {
            let step = power.saturating_mul(multiple);
            if step >= raw || step == usize::MAX {
                return step;
            }
        }
        power = power.saturating_mul(10);
    }
}

/// Where each run sits across: by date between the margins (with room for the labels at
/// both ends); one run, or runs all of one day, spread evenly.
fn x_positions(points: &[Point]) -> Vec<f64> {
    let inner_left = LEFT + 40.0;
    let inner_right = WIDTH - RIGHT - 40.0;
    let span = inner_right - inner_left;
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let days = (last.date - first.date).whole_days();
    if days <= 0 || points.len() == 1 {
        let n = points.len();
        return (0..n)
            .map(|i| {
                if n == 1 {
                    inner_left + span / 2.0
                } else {
                    inner_left + span * i as f64 / (n - 1) as f64
                }
            })
            .collect();
    }
    points
        .iter()
        .map(|p| inner_left + span * (p.date - first.date).whole_days() as f64 / days as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(date: &str, failing: usize) -> Point {
        Point {
            date: crate::date::parse_date(date).unwrap(),
            failing,
            excepted: 0,
        }
    }

    #[test]
    fn the_failing_line_has_a_point_per_run_placed_by_date_and_count() {
        let svg = burndown(&[
            point("2026-01-01", 8),
            point("2026-01-11", 4),
            point("2026-01-31", 0),
        ]);
        // x: 88 + 568 * days / 30; y: 16 + 200 * (1 - n / 8).
        assert!(
            svg.contains("<path class=\"failing\" d=\"M88.0 16.0 L277.3 116.0 L656.0 216.0\"/>"),
            "{svg}"
        );
        assert_eq!(svg.matches("<circle").count(), 3);
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(
            [0, 1, 2, 3, 4, 6, 11, 41, 120, 260].map(round_step),
            [1, 1, 2, 5, 5, 10, 20, 50, 200, 500]
        );
        let svg = burndown(&[point("2026-01-01", 161)]);
        // 161 sites: a step of 50, so the axis ends at 200.
        assert!(
            svg.contains(">50</text>") && svg.contains(">200</text>"),
            "{svg}"
        );
    }

    #[test]
    fn one_run_is_centred_and_an_all_zero_chart_still_has_a_scale() {
        let svg = burndown(&[point("2026-01-01", 0)]);
        assert!(svg.contains("d=\"M372.0 216.0\""), "{svg}");
        assert!(svg.contains(">4</text>"), "{svg}");
    }
}
