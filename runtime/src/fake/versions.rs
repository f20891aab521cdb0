//! The version check every route makes, by hand or from the spec: `Accept`
//! must name a served media type (406 `INVALID_VERSION_DATE`), not one past
//! its sunset (410 `VERSION_GONE`); a version with a sunset to come is
//! answered with `Deprecation` and `Sunset`.

use super::answer::Answer;
use super::builder::Config;
use super::spec::sunset_passed;

/// The served version's index, and the headers to answer with.
pub(super) type Checked = Result<(usize, Vec<(String, String)>), Answer>;

/// Checks `accept` against `(media type, x-sunset)` of the versions a route
/// serves: the index of the one it names, and the headers to answer with.
/// Versions marked gone or deprecated on the builder count as such too.
pub(super) fn check_version(config: &Config, what: &str, accept: &str, serves: &[(&str, Option<&str>)]) -> Checked {
    let found = serves.iter().position(|(media, _)| *media == accept);
    let sunset = found.and_then(|i| serves[i].1);
    if config.gone.contains(accept) || sunset.is_some_and(sunset_passed) {
        let detail = format!(
            "The version {accept} of {what} is no longer served (sunset {}).",
            sunset.unwrap_or("passed")
        );
        return Err(Answer::error(410, "VERSION_GONE", &detail));
    }
    let Some(i) = found else {
        let served: Vec<&str> = serves.iter().map(|(media, _)| *media).collect();
        let detail = format!(
            "The Accept header {accept:?} names no version {what} serves: {}.",
            served.join(", ")
        );
        return Err(Answer::error(406, "INVALID_VERSION_DATE", &detail));
    };
    let headers = match config.deprecated.get(accept).map(String::as_str).or(sunset) {
        Some(sunset) => vec![("Deprecation".into(), "true".into()), ("Sunset".into(), sunset.into())],
        None => Vec::new(),
    };
    Ok((i, headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "application/vnd.atlas.2023-01-01+json";
    const MID: &str = "application/vnd.atlas.2024-01-01+json";
    const NEW: &str = "application/vnd.atlas.2025-01-01+json";

    fn status(r: &Checked) -> u16 {
        match r {
            Ok(_) => 200,
            Err(a) => a.status(),
        }
    }

    #[test]
    fn served_gone_sunset_and_deprecated_versions() {
        let serves = [(OLD, Some("2020-01-01")), (MID, Some("2999-01-01")), (NEW, None)];
        let mut config = Config::default();
        assert_eq!(status(&check_version(&config, "op", OLD, &serves)), 410);
        assert_eq!(status(&check_version(&config, "op", "application/json", &serves)), 406);
        let (i, headers) = check_version(&config, "op", MID, &serves).unwrap();
        assert_eq!(i, 1);
        assert_eq!(headers[1], ("Sunset".to_string(), "2999-01-01".to_string()));
        assert_eq!(check_version(&config, "op", NEW, &serves).unwrap(), (2, Vec::new()));
        // Set on the builder: gone, or deprecated with a date.
        config.gone.insert(NEW.into());
        assert_eq!(status(&check_version(&config, "op", NEW, &serves)), 410);
        config.deprecated.insert(MID.into(), "2030-06-30".into());
        let (_, headers) = check_version(&config, "op", MID, &serves).unwrap();
        assert_eq!(headers[1].1, "2030-06-30");
    }
}
