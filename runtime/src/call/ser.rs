//! How a model is written. Everywhere but one place a model is written
//! whole: an app that stores, caches, diffs or prints what Atlas answered
//! writes back everything Atlas sent, read-only fields (ids, dates,
//! `stateName`) included, and so does the fake when it answers with a
//! typed model a test gave it. The one place is a request body: a
//! read-only field is never sent, and the client encodes each body inside
//! [`sending`], which generated `Serialize` impls ask through
//! [`writes_read_only`].

use std::cell::Cell;

thread_local! {
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// Whether read-only fields are written: always, except while the client
/// encodes a request body on this thread (generated `Serialize` impls ask).
#[doc(hidden)]
#[inline]
pub fn writes_read_only() -> bool {
    !SENDING.with(Cell::get)
}

/// Runs `f`, the encoding of a request body, with read-only fields left
/// out, on this thread.
pub(crate) fn sending<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SENDING.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(SENDING.with(|s| s.replace(true)));
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_fields_are_left_out_only_inside_and_the_flag_survives_a_panic() {
        assert!(writes_read_only());
        assert!(!sending(writes_read_only));
        assert!(writes_read_only());
        let caught = std::panic::catch_unwind(|| sending(|| panic!("a body's Serialize panicked")));
        assert!(caught.is_err());
        assert!(writes_read_only(), "a panic inside leaves read-only fields out");
        // Another thread never sees it.
        sending(|| assert!(std::thread::spawn(writes_read_only).join().unwrap()));
    }
}
