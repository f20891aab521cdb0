//! The Atlas CLI's file names: `<METHOD>_<path>_<n>.snaphost`, where
//! `<path>` is the request's path without its leading `/`, each `/` and `:`
//! written as `_`, and `<n>` counts that method and path's calls within one
//! test folder. The query is not in the name, and the name cannot be turned
//! back into the path: compare [`mangle`]d paths instead.

/// The extension of the CLI's recordings.
pub const EXTENSION: &str = ".snaphost";

/// What a file name says about its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliName {
    /// Upper case.
    pub method: String,
    /// The path in the name's form (see [`mangle`]).
    pub mangled: String,
    /// The call counter `<n>`; 0 when the name has none (a hashed name,
    /// which then matches no path).
    pub counter: u64,
}

/// Reads a file name (the name alone, not its folder).
pub fn parse(name: &str) -> Result<CliName, String> {
    let stem = name
        .strip_suffix(EXTENSION)
        .ok_or_else(|| format!("{name:?} does not end in {EXTENSION}"))?;
    let (method, rest) = stem
        .split_once('_')
        .filter(|(m, _)| !m.is_empty())
        .ok_or_else(|| format!("{name:?} is not <METHOD>_<path>_<n>{EXTENSION}"))?;
    let (mangled, counter) = match rest.rsplit_once('_') {
        Some((path, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => (path, n.parse().unwrap_or(0)),
        _ => (rest, 0),
    };
    Ok(CliName {
        method: method.to_ascii_uppercase(),
        mangled: mangled.to_string(),
        counter,
    })
}

/// A request path as the CLI writes it in a file name.
pub fn mangle(path: &str) -> String {
    path.trim_start_matches('/').replace(['/', ':'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_path_and_counter() {
        assert_eq!(
            parse("post_api_atlas_v2_groups_g1_clusters_c1_pause_12.snaphost").unwrap(),
            CliName {
                method: "POST".into(),
                mangled: "api_atlas_v2_groups_g1_clusters_c1_pause".into(),
                counter: 12
            }
        );
        assert_eq!(
            mangle("/api/atlas/v2/groups/g1/clusters/c1:pause"),
            "api_atlas_v2_groups_g1_clusters_c1_pause"
        );
        let hashed = parse("GET_5f2a9c.snaphost").unwrap();
        assert_eq!((hashed.mangled.as_str(), hashed.counter), ("5f2a9c", 0));
        assert_eq!(parse("GET_a_b_.snaphost").unwrap().mangled, "a_b_");
        assert!(parse("GET.snaphost").is_err());
        assert!(parse("_a_1.snaphost").is_err());
        assert!(parse("GET_a_1.json").is_err());
    }
}
