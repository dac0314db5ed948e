//! Exception dates: strict `YYYY-MM-DD` parsing, today's date, and an exception's status.
//!
//! Dates are `time::Date`, so the calendar (month lengths, leap years) is the crate's; this
//! file only fixes the one spelling certgate accepts and when a date counts as expired.

pub use time::Date;
use time::{Month, OffsetDateTime};

/// How many days before its expiry an exception counts as `expires-soon` by default.
pub const DEFAULT_SOON_DAYS: i64 = 30;

/// Parses exactly `YYYY-MM-DD` (a real calendar date). The error says what is wrong.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(format!(
            "`{text}` is not a date: write YYYY-MM-DD, e.g. 2027-03-31"
        ));
    }
    // The shape check above guarantees ASCII digits, so these parses cannot fail.
    let year: i32 = text[0..4].parse().unwrap_or(0);
    let month: u8 = text[5..7].parse().unwrap_or(0);
    let day: u8 = text[8..10].parse().unwrap_or(0);
    let month = Month::try_from(month)
        .map_err(|_| format!("`{text}` is not a date: month {month} does not exist"))?;
    Date::from_calendar_date(year, month, day)
        .map_err(|_| format!("`{text}` is not a date: {month} {year} has no day {day}"))
}

/// Today's date in UTC. UTC (not the local zone) so that a CI runner and a laptop agree on
/// the day an exception expires, and because the local offset cannot be read soundly from
/// a multi-threaded process on Unix.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Whether an exception with this expiry no longer applies on `today`. As with tfsec and
/// Trivy's `exp:`, the date is the first day it no longer applies.
pub fn is_expired(expires: Option<Date>, today: Date) -> bool {
    expires.is_some_and(|date| date <= today)
}

/// Whether an exception expires within `soon_days` of `today` (and has not yet expired).
pub fn expires_soon(expires: Option<Date>, today: Date, soon_days: i64) -> bool {
    expires.is_some_and(|date| date > today && (date - today).whole_days() <= soon_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(format_date(date("2027-03-31")), "2027-03-31");
        assert_eq!(format_date(date("2028-02-29")), "2028-02-29");
        assert!(
            parse_date("2027-02-29")
                .unwrap_err()
                .contains("has no day 29")
        );
        assert!(parse_date("2027-13-01").unwrap_err().contains("month 13"));
        assert!(parse_date("2027-3-31").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("31.03.2027").is_err());
        assert!(parse_date("2027-03-31T00:00").is_err());
        assert!(parse_date("").is_err());
        assert!(parse_date("２０２７-03-31").is_err());
    }

    #[test]
    fn expiry_is_the_first_day_without_the_exception() {
        let expires = Some(date("2027-03-31"));
        assert!(!is_expired(expires, date("2027-03-30")));
        assert!(is_expired(expires, date("2027-03-31")));
        assert!(is_expired(expires, date("2027-04-01")));
        assert!(!is_expired(None, date("2999-01-01")));
    }

    #[test]
    fn soon_counts_days_up_to_the_limit() {
        let expires = Some(date("2027-03-31"));
        assert!(expires_soon(expires, date("2027-03-01"), 30));
        assert!(!expires_soon(expires, date("2027-02-28"), 30));
        assert!(!expires_soon(expires, date("2027-03-31"), 30));
        assert!(!expires_soon(None, date("2027-03-01"), 30));
    }
}
