//! How a model is written. A read-only field (set by the server) is never
//! sent; the fake writes it when it answers with a typed model that a test
//! gave it, so that answer holds what Atlas would put there (ids, dates,
//! `stateName`).

use std::cell::Cell;

thread_local! {
    static ANSWERING: Cell<bool> = const { Cell::new(false) };
}

/// Whether read-only fields are written: only while the fake turns a typed
/// answer into JSON on this thread (generated `Serialize` impls ask).
#[doc(hidden)]
#[inline]
pub fn writes_read_only() -> bool {
    ANSWERING.with(Cell::get)
}

/// Runs `f` with read-only fields written, on this thread.
#[cfg_attr(not(feature = "fake"), allow(dead_code))]
pub(crate) fn writing_read_only<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ANSWERING.with(|a| a.set(self.0));
        }
    }
    let _restore = Restore(ANSWERING.with(|a| a.replace(true)));
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_fields_are_written_only_inside_and_the_flag_survives_a_panic() {
        assert!(!writes_read_only());
        assert!(writing_read_only(writes_read_only));
        assert!(!writes_read_only());
        let caught = std::panic::catch_unwind(|| writing_read_only(|| panic!("a test's mistake")));
        assert!(caught.is_err());
        assert!(!writes_read_only(), "a panic inside leaves the flag set");
        // Another thread never sees it.
        writing_read_only(|| assert!(!std::thread::spawn(writes_read_only).join().unwrap()));
    }
}
