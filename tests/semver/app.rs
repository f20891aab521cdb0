//! An app written against the first crate of `growth.yaml`, in the style
//! the README asks for: models built with `new` and `with_` setters, enums
//! matched with a wildcard arm. It must compile against the grown crate.

use growth::fake::FakeAtlas;
use growth::models::{Size, Widget, WidgetRequest, WidgetStateName};
use growth::Client;

fn describe(size: &Size) -> &'static str {
    match size {
        Size::Small => "small",
        Size::Large => "large",
        _ => "another size",
    }
}

fn settled(w: &Widget) -> bool {
    matches!(w.state_name, Some(WidgetStateName::Idle))
}

#[tokio::main]
async fn main() -> Result<(), growth::Error> {
    let fake = FakeAtlas::builder()
        .api_key("k", "s")
        .answer("getWidget", Widget::new("w1", Size::Small).with_state_name(WidgetStateName::Idle))
        .start()
        .await;
    let client = Client::builder().base_url(fake.url()).api_key("k", "s").build()?;
    let widgets = client.widgets();
    let body = WidgetRequest::new("w1", Size::Large).with_label("first");
    let made = widgets.create_widget("g1", body).send().await?;
    println!("{} is {}", made.name, describe(&made.size));
    let pinned = widgets.get_widget_v2024_05_30("g1", "w1").send().await?;
    let plain = widgets.get_widget("g1", "w1").send().await?;
    assert!(settled(&pinned) && settled(&plain));
    Ok(())
}
