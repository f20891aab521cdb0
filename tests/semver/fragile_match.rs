//! What the crate refuses to compile, so that no app depends on a model's
//! exact set of values: an exhaustive match of an enum.

use growth::models::Size;

fn main() {
    let text = match Size::Small {
        Size::Small => "small",
        Size::Large => "large",
        Size::Unknown(_) => "unknown",
    };
    println!("{text}");
}
