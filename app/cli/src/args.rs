//! Argument parsers every feature's subcommands share, owned by none of them.

/// `LAT,LON` in decimal degrees, within range (a clap `value_parser`).
pub fn point(text: &str) -> Result<(f64, f64), String> {
    let (lat, lon) = text
        .split_once(',')
        .ok_or_else(|| format!("“{text}” không phải LAT,LON (expected LAT,LON)"))?;
    let parse = |t: &str| t.trim().parse::<f64>().map_err(|e| format!("“{t}”: {e}"));
    let (lat, lon) = (parse(lat)?, parse(lon)?);
    if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
        Ok((lat, lon))
    } else {
        Err(format!(
            "“{text}”: vĩ độ hoặc kinh độ ngoài phạm vi (latitude or longitude out of range)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::point;

    #[test]
    fn points_are_read_in_range_only() {
        assert_eq!(point("16.0544, 108.2022"), Ok((16.0544, 108.2022)));
        assert_eq!(point("-90,180"), Ok((-90.0, 180.0)));
        for bad in ["16.05", "91,0", "0,181", "a,b", "", "NaN,0", "16.0,inf"] {
            assert!(point(bad).is_err(), "{bad}");
        }
    }
}
