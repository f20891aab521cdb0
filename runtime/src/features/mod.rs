//! What an app gets beyond one call: walking the pages of a list
//! (`paging.rs`), waiting until a resource settles (`wait.rs`), recording
//! calls for replay (`record.rs`), and telling whether a version's sunset
//! date has passed (`sunset.rs`).

pub(crate) mod paging;
pub mod record;
pub(crate) mod sunset;
pub(crate) mod wait;
