//! Time for `now`, `date` and friends. Rendering must be reproducible, so
//! `now` is a fixed instant ([`FIXED_NOW`], 2024-01-01T00:00:00Z) and every
//! time is UTC; layouts are Go's reference-time layouts.

use crate::template::value::Time;

/// 2024-01-01T00:00:00Z.
pub const FIXED_NOW: i64 = 1_704_067_200;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn year_day(y: i64, m: u32, d: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    cum[(m - 1) as usize] + d + u32::from(leap && m > 2)
}

/// Formats a time with a Go layout (UTC).
pub fn format_time(t: Time, layout: &str) -> String {
    let secs = t.0;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, mo, d) = civil(days);
    let (h, mi, s) = (sod / 3600, (sod / 60) % 60, sod % 60);
    let wd = (days + 4).rem_euclid(7) as usize;
    let mut out = String::new();
    let mut rest = layout;
    // Longest tokens first where one is a prefix of another.
    let tokens: [&str; 30] = [
        "January",
        "Monday",
        "2006",
        "-07:00:00",
        "-07:00",
        "-0700",
        "Z07:00",
        "Z0700",
        "-07",
        ".000000000",
        ".999999999",
        ".000000",
        ".999999",
        ".000",
        ".999",
        "Jan",
        "Mon",
        "MST",
        "002",
        "01",
        "02",
        "_2",
        "03",
        "04",
        "05",
        "06",
        "15",
        "PM",
        "pm",
        "1",
    ];
    while !rest.is_empty() {
        let tok = tokens.iter().find(|t| rest.starts_with(**t));
        let Some(tok) = tok else {
            // Single-digit tokens "2", "3", "4", "5" after the longer ones.
            let c = rest.chars().next().unwrap_or(' ');
            match c {
                '2' => out.push_str(&d.to_string()),
                '3' => out.push_str(&(if h % 12 == 0 { 12 } else { h % 12 }).to_string()),
                '4' => out.push_str(&mi.to_string()),
                '5' => out.push_str(&s.to_string()),
                _ => out.push(c),
            }
            rest = &rest[c.len_utf8()..];
            continue;
        };
        match *tok {
            "January" => out.push_str(MONTHS[(mo - 1) as usize]),
            "Jan" => out.push_str(&MONTHS[(mo - 1) as usize][..3]),
            "Monday" => out.push_str(DAYS[wd]),
            "Mon" => out.push_str(&DAYS[wd][..3]),
            "2006" => out.push_str(&format!("{y:04}")),
            "06" => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            "01" => out.push_str(&format!("{mo:02}")),
            "1" => out.push_str(&mo.to_string()),
            "02" => out.push_str(&format!("{d:02}")),
            "_2" => out.push_str(&format!("{d:>2}")),
            "002" => out.push_str(&format!("{:03}", year_day(y, mo, d))),
            "15" => out.push_str(&format!("{h:02}")),
            "03" => out.push_str(&format!("{:02}", if h % 12 == 0 { 12 } else { h % 12 })),
            "04" => out.push_str(&format!("{mi:02}")),
            "05" => out.push_str(&format!("{s:02}")),
            "PM" => out.push_str(if h >= 12 { "PM" } else { "AM" }),
            "pm" => out.push_str(if h >= 12 { "pm" } else { "am" }),
            "MST" => out.push_str("UTC"),
            "Z07:00" | "Z0700" => out.push('Z'),
            "-07:00:00" => out.push_str("+00:00:00"),
            "-07:00" => out.push_str("+00:00"),
            "-0700" => out.push_str("+0000"),
            "-07" => out.push_str("+00"),
            ".000" => out.push_str(".000"),
            ".000000" => out.push_str(".000000"),
            ".000000000" => out.push_str(".000000000"),
            _ => {} // .999… of a whole second prints nothing
        }
        rest = &rest[tok.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_now_formats() {
        assert_eq!(
            format_time(Time(FIXED_NOW), "2006-01-02T15:04:05Z07:00"),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            format_time(Time(FIXED_NOW), "Mon Jan _2 2006"),
            "Mon Jan  1 2024"
        );
    }
}
