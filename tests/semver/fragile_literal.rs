//! What the crate refuses to compile, so that no app depends on a model's
//! exact set of fields: a struct literal.

use growth::models::{Size, WidgetRequest};

fn main() {
    let body = WidgetRequest { name: "w1".into(), size: Size::Small, label: None };
    println!("{body:?}");
}
