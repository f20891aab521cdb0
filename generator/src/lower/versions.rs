//! Media types -> resource versions (`application/vnd.atlas.YYYY-MM-DD+json`,
//! `+csv`, `+gzip`, `preview`, unversioned `application/json`) and sunsets.

use crate::error::{Error, Pointer};
use crate::model::*;

/// Reads the resource version and the encoding out of a media type.
pub(crate) fn version_label(media: &str, ptr: &Pointer) -> Result<(VersionLabel, Format), Error> {
    if media == "application/json" {
        return Ok((VersionLabel::Unversioned, Format::Json));
    }
    if let Some(rest) = media.strip_prefix("application/vnd.atlas.") {
        let parsed = [("+json", Format::Json), ("+csv", Format::Csv), ("+gzip", Format::Gzip)]
            .into_iter()
            .find_map(|(suffix, format)| rest.strip_suffix(suffix).map(|v| (v, format)));
        if let Some((version, format)) = parsed {
            if version == "preview" {
                return Ok((VersionLabel::Preview, format));
            }
            if is_date(version) {
                return Ok((VersionLabel::Date(version.to_string()), format));
            }
        }
    }
    Err(Error::at(
        ptr,
        format!(
            "unsupported media type {media:?}: expected application/json or \
             application/vnd.atlas.<YYYY-MM-DD or preview>+<json, csv or gzip>"
        ),
    ))
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

pub(crate) fn media_type_for(label: &VersionLabel) -> String {
    match label {
        VersionLabel::Date(d) => format!("application/vnd.atlas.{d}+json"),
        VersionLabel::Preview => "application/vnd.atlas.preview+json".to_string(),
        VersionLabel::Unversioned => "application/json".to_string(),
    }
}

/// `V2023_01_01`, `Preview`, or nothing for unversioned operations.
pub(crate) fn label_suffix(label: &VersionLabel) -> String {
    match label {
        VersionLabel::Date(d) => format!("V{}", d.replace('-', "_")),
        VersionLabel::Preview => "Preview".to_string(),
        VersionLabel::Unversioned => String::new(),
    }
}

pub(crate) fn sunset_of(ext: &indexmap::IndexMap<String, serde_json::Value>) -> Option<String> {
    ext.get("x-sunset").and_then(|v| v.as_str()).map(str::to_string)
}
