//! Calendar dates of Unix times, for the date formats AWS writes (API Gateway's `requestTime` and
//! a Cognito authorizer's `exp`, Cognito's SRP `TIMESTAMP`), without a date crate; the day
//! arithmetic is the log lines' own (`lambda_log::civil_from_days`).

use lambda_log::civil_from_days;

/// Short English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Short English weekday names, Sunday first.
pub(crate) const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// A UTC date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Utc {
    pub(crate) year: u64,
    /// 1 to 12.
    pub(crate) month: u64,
    /// 1 to 31.
    pub(crate) day: u64,
    pub(crate) hour: u64,
    pub(crate) minute: u64,
    pub(crate) second: u64,
    /// 0 (Sunday) to 6.
    pub(crate) weekday: usize,
}

impl Utc {
    /// The date and time of `unix` seconds since 1970-01-01 00:00:00 UTC.
    pub(crate) fn from_unix(unix: u64) -> Self {
        let days = unix / 86_400;
        let secs = unix % 86_400;
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
            // 1970-01-01 was a Thursday.
            weekday: ((days + 4) % 7) as usize,
        }
    }

    pub(crate) fn month_name(&self) -> &'static str {
        MONTHS[(self.month.clamp(1, 12) - 1) as usize]
    }

    pub(crate) fn weekday_name(&self) -> &'static str {
        WEEKDAYS[self.weekday % 7]
    }

    /// `Wed Apr 9 12:34:56 UTC 2025`, the day `day_width` wide (`09` for 2): Cognito's SRP
    /// `TIMESTAMP` (1) and Java's `Date.toString`, which a Cognito authorizer's dates take (2).
    pub(crate) fn weekday_date(&self, day_width: usize) -> String {
        format!(
            "{} {} {:0day_width$} {:02}:{:02}:{:02} UTC {}",
            self.weekday_name(),
            self.month_name(),
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_known_times() {
        let t = Utc::from_unix(0);
        assert_eq!(
            (t.year, t.month, t.day, t.weekday_name()),
            (1970, 1, 1, "Thu")
        );
        let t = Utc::from_unix(1_772_510_706);
        assert_eq!(
            (
                t.year,
                t.month_name(),
                t.day,
                t.hour,
                t.minute,
                t.second,
                t.weekday_name()
            ),
            (2026, "Mar", 3, 4, 5, 6, "Tue")
        );
        let t = Utc::from_unix(951_782_400);
        assert_eq!((t.year, t.month, t.day), (2000, 2, 29), "a leap day");
        let t = Utc::from_unix(1_744_202_096);
        assert_eq!(t.weekday_date(1), "Wed Apr 9 12:34:56 UTC 2025");
        assert_eq!(t.weekday_date(2), "Wed Apr 09 12:34:56 UTC 2025");
    }
}
