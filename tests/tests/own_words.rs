//! Our spec says everything in its own words: no summary or description in
//! `spec/atlas-admin.yaml` shares a run of 12 words with one in MongoDB's
//! published spec (`../shared/upstream/`, skipped with a message when it
//! is missing). `cargo xtask spec add` copies none of MongoDB's prose; this
//! catches what a maintainer might paste.

use std::collections::HashSet;
use std::path::Path;

const RUN: usize = 12;

/// Every `summary` and `description` text of a document.
fn prose(v: &serde_yaml::Value, out: &mut Vec<String>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    (Some("summary" | "description"), serde_yaml::Value::String(s)) => out.push(s.clone()),
                    _ => prose(x, out),
                }
            }
        }
        serde_yaml::Value::Sequence(s) => s.iter().for_each(|x| prose(x, out)),
        _ => {}
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn runs(text: &str) -> impl Iterator<Item = String> {
    let w = words(text);
    let n = w.len().saturating_sub(RUN - 1);
    (0..n).map(move |i| w[i..i + RUN].join(" "))
}

fn texts(path: &Path) -> Vec<String> {
    let doc: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    prose(&doc, &mut out);
    out
}

#[test]
fn no_description_shares_twelve_words_with_the_published_spec() {
    let root = xtask::project_root();
    let Some(upstream) =
        atlas_admin_tests::shared_input("upstream/atlas-admin-v2.yaml", "our words against the published spec")
    else {
        return;
    };
    let theirs: HashSet<String> = texts(&upstream).iter().flat_map(|t| runs(t)).collect();
    assert!(theirs.len() > 10_000, "the published spec's prose was not read");
    let ours = texts(&root.join(xtask::SPEC));
    assert!(ours.len() > 100, "our spec's prose was not read");
    let copied: Vec<(&String, String)> = ours
        .iter()
        .filter_map(|t| runs(t).find(|r| theirs.contains(r)).map(|r| (t, r)))
        .collect();
    assert!(
        copied.is_empty(),
        "{} descriptions share {RUN} words with the published spec; say them in our words:\n{copied:#?}",
        copied.len()
    );
}

#[test]
fn a_copied_sentence_is_found() {
    let copied = "Unique 24-hexadecimal digit string that identifies your project, for all of the calls below.";
    let theirs: HashSet<String> =
        runs("Unique 24-hexadecimal digit string that identifies your project, for all of the calls below, and more.")
            .collect();
    assert!(runs(copied).any(|r| theirs.contains(&r)));
    assert!(!runs("A short sentence of ours.").any(|r| theirs.contains(&r)));
}
