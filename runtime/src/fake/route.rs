//! Paths as the fake routes them: typed segments, settled by the generator
//! for the operations of a spec (and read from a template once, when a test
//! gives a route by hand), matched against a request's decoded segments.

use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;

/// One `/`-separated segment of a route's path. The generator writes these
/// for every operation of a spec (`Segment<&'static str>`); a route given
/// by hand holds them as `Segment<String>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<S = &'static str> {
    /// Text that must be there as it is.
    Literal(S),
    /// A path parameter, with the literal text around it in its segment
    /// (`{clusterName}:pause`: no prefix, the suffix `:pause`).
    Param { name: S, prefix: S, suffix: S },
}

impl<S: AsRef<str>> Segment<S> {
    /// How much of the segment is literal: a literal beats a parameter with
    /// literal text around it, which beats a bare parameter.
    fn specificity(&self) -> usize {
        match self {
            Segment::Literal(_) => 2,
            Segment::Param { prefix, suffix, .. } if prefix.as_ref().is_empty() && suffix.as_ref().is_empty() => 0,
            Segment::Param { .. } => 1,
        }
    }
}

impl Segment<String> {
    /// The segments of a template given by hand (`/groups/{groupId}`): the
    /// first `{...}` of a segment is its parameter.
    pub(super) fn parse_template(template: &str) -> Vec<Segment<String>> {
        template
            .trim_start_matches('/')
            .split('/')
            .map(|seg| {
                let param = seg
                    .find('{')
                    .and_then(|open| Some((open, seg[open..].find('}')? + open)));
                match param {
                    Some((open, close)) => Segment::Param {
                        name: seg[open + 1..close].to_string(),
                        prefix: seg[..open].to_string(),
                        suffix: seg[close + 1..].to_string(),
                    },
                    None => Segment::Literal(seg.to_string()),
                }
            })
            .collect()
    }
}

/// The path's segments, percent-decoded.
pub(super) fn decoded_segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(|seg| percent_decode_str(seg).decode_utf8_lossy().into_owned())
        .collect()
}

/// The path parameters of `segments` under `route`, or `None` if it does
/// not match.
pub(super) fn match_route<S: AsRef<str>>(
    route: &[Segment<S>],
    segments: &[String],
) -> Option<BTreeMap<String, String>> {
    if route.len() != segments.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (seg, value) in route.iter().zip(segments) {
        match seg {
            Segment::Literal(text) if text.as_ref() == value => {}
            Segment::Literal(_) => return None,
            Segment::Param { name, prefix, suffix } => {
                let inner = value.strip_prefix(prefix.as_ref())?.strip_suffix(suffix.as_ref())?;
                params.insert(name.as_ref().to_string(), inner.to_string());
            }
        }
    }
    Some(params)
}

/// Of the routes that match, the most literal one (`/clusters/tenantUpgrade`
/// over `/clusters/{clusterName}`, `/{name}:download` over `/{name}`); the
/// first listed on a tie. Gives its index and its path parameters.
pub(super) fn best_route<'r, S: AsRef<str> + 'r>(
    routes: impl IntoIterator<Item = &'r [Segment<S>]>,
    segments: &[String],
) -> Option<(usize, BTreeMap<String, String>)> {
    let mut best: Option<(usize, usize, BTreeMap<String, String>)> = None;
    for (i, route) in routes.into_iter().enumerate() {
        if let Some(params) = match_route(route, segments) {
            let score = route.iter().map(Segment::specificity).sum();
            if best.as_ref().is_none_or(|(n, _, _)| score > *n) {
                best = Some((score, i, params));
            }
        }
    }
    best.map(|(_, i, params)| (i, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn param(name: &'static str, suffix: &'static str) -> Segment {
        Segment::Param {
            name,
            prefix: "",
            suffix,
        }
    }

    const GROUPS: Segment = Segment::Literal("groups");
    const LINKS: Segment = Segment::Literal("links");
    const ITEM: &[Segment] = &[GROUPS, param("groupId", ""), LINKS, param("linkId", "")];
    const ACTION: &[Segment] = &[GROUPS, param("groupId", ""), LINKS, param("linkId", ":inspect")];
    const LITERAL: &[Segment] = &[GROUPS, param("groupId", ""), LINKS, Segment::Literal("defaults")];

    fn matched(routes: &[&'static [Segment]], path: &str) -> Option<(usize, String)> {
        best_route(routes.iter().copied(), &decoded_segments(path))
            .map(|(i, p)| (i, p.get("linkId").cloned().unwrap_or_default()))
    }

    #[test]
    fn the_most_literal_route_wins_whatever_the_order() {
        let routes = [ITEM, ACTION, LITERAL];
        assert_eq!(matched(&routes, "/groups/g/links/l1"), Some((0, "l1".into())));
        assert_eq!(matched(&routes, "/groups/g/links/l1:inspect"), Some((1, "l1".into())));
        assert_eq!(matched(&routes, "/groups/g/links/defaults"), Some((2, String::new())));
        assert_eq!(matched(&routes, "/groups/g/links/a%20b"), Some((0, "a b".into())));
        assert_eq!(matched(&routes, "/groups/g/other/l1"), None);
        assert_eq!(matched(&routes, "/groups/g/links"), None);
        let reversed = [LITERAL, ACTION, ITEM];
        assert_eq!(matched(&reversed, "/groups/g/links/l1:inspect"), Some((1, "l1".into())));
        assert_eq!(matched(&reversed, "/groups/g/links/l1"), Some((2, "l1".into())));
    }

    #[test]
    fn a_template_given_by_hand_reads_as_the_same_segments() {
        let parsed = Segment::parse_template("/groups/{groupId}/links/{linkId}:inspect");
        let owned: Vec<Segment<String>> = ACTION
            .iter()
            .map(|s| match *s {
                Segment::Literal(t) => Segment::Literal(t.to_string()),
                Segment::Param { name, prefix, suffix } => Segment::Param {
                    name: name.into(),
                    prefix: prefix.into(),
                    suffix: suffix.into(),
                },
            })
            .collect();
        assert_eq!(parsed, owned);
        let params = match_route(&parsed, &decoded_segments("/groups/g1/links/x:inspect")).unwrap();
        assert_eq!(params.get("groupId").map(String::as_str), Some("g1"));
        // A parameter's literal text must be there.
        assert!(match_route(&parsed, &decoded_segments("/groups/g1/links/x")).is_none());
    }
}
