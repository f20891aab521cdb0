//! Configuration from the environment.

use super::*;

#[test]
fn configuration_from_the_environment() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    };
    let b = Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "p"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "s"),
            ("MONGODB_ATLAS_OPS_MANAGER_URL", "https://om.example.com"),
        ]))
        .unwrap();
    let shown = format!("{b:?}");
    assert!(shown.contains("om.example.com") && shown.contains("ApiKey"), "{shown}");
    b.build().unwrap();
    Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_CLIENT_ID", "i"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    let err = Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "p"),
            ("MONGODB_ATLAS_CLIENT_ID", "i"),
        ]))
        .unwrap_err();
    assert!(err.to_string().contains("set only one"), "{err}");
    let err = Client::builder()
        .from_lookup(vars(&[("MONGODB_ATLAS_PUBLIC_API_KEY", "p")]))
        .unwrap_err();
    assert!(
        err.to_string().contains("MONGODB_ATLAS_PRIVATE_API_KEY is not set"),
        "{err}"
    );
    let err = Client::builder()
        .from_lookup(vars(&[("MONGODB_ATLAS_CLIENT_SECRET", "s")]))
        .unwrap_err();
    assert!(err.to_string().contains("MONGODB_ATLAS_CLIENT_ID is not set"), "{err}");
    let err = Client::builder().from_lookup(vars(&[])).unwrap_err();
    assert!(err.to_string().contains("no credentials"), "{err}");
    let err = Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_CLIENT_ID", "i"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
            ("MONGODB_ATLAS_BASE_URL", "http://atlas.example.com"),
        ]))
        .unwrap()
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("plain http"), "{err}");
}
