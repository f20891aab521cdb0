//! Walking the pages of a list operation (`pageNum`, `itemsPerPage`,
//! `results`, `totalCount`), once, here, for every generated `pages()`,
//! `items()` and `send_all()`.
//!
//! Both streams are lazy: nothing is sent until they are polled, and only
//! the page being handed out is held. They stop after a short page (fewer
//! items than the largest page the server has sent so far: not than the
//! `itemsPerPage` asked for, which Atlas caps), at an empty page, or when
//! `totalCount` items were seen; so a list read with `includeCount=false`
//! (no `totalCount`, which Atlas advises for large lists that otherwise
//! fail with `TIMEOUT_WHILE_PAGING`) costs no request past its end unless
//! it ends on a full page. They end with [`Error::Paging`] when a page
//! starts with the same item as the one before (the server ignores
//! `pageNum`), when more pages come than `totalCount` needs, or after
//! [`MAX_PAGES`].

use crate::error::Error;
use crate::response::Response;
use crate::transport::client::SendFuture;
use futures_util::stream::{self, Stream, TryStreamExt};
use std::future::Future;
use std::pin::Pin;

/// No list is walked past this many pages: at Atlas's largest page size
/// (500) that is five million items.
pub const MAX_PAGES: u32 = 10_000;

/// A lazy stream of page responses (`list_...().pages()`).
pub type Pages<'a, R> = Pin<Box<dyn Stream<Item = Result<Response<R>, Error>> + Send + 'a>>;

/// A lazy stream of the items of every page (`list_...().items()`).
pub type Items<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// What the walk needs to know of a page: how many items it holds, the
/// `totalCount` it announces, and its first item.
#[doc(hidden)]
pub struct PageInfo<T> {
    pub len: usize,
    pub total: Option<usize>,
    pub first: Option<T>,
}

struct Walk<F, T> {
    fetch: F,
    operation: &'static str,
    next: i64,
    pages: u32,
    seen: usize,
    /// The largest page the server has sent: a shorter one is the last.
    page_size: Option<usize>,
    previous_first: Option<T>,
    total: Option<usize>,
    done: bool,
}

impl<F, T> Walk<F, T> {
    /// Ends the walk with [`Error::Paging`].
    fn fail<X>(mut self, reason: String) -> Option<(Result<X, Error>, Self)> {
        self.done = true;
        let err = Error::Paging {
            operation: self.operation,
            pages: self.pages,
            reason,
        };
        Some((Err(err), self))
    }
}

/// The pages of a list, fetched by `fetch(pageNum)` from `first` (default
/// 1) on; `info` reads a page. Generated builders call this.
#[doc(hidden)]
pub fn pages<'a, R, T, P, F, Fut, I>(operation: &'static str, first: Option<P>, fetch: F, info: I) -> Pages<'a, R>
where
    R: Send + 'a,
    T: PartialEq + Send + 'a,
    P: Copy + Into<i64> + TryFrom<i64> + Send + 'a,
    F: FnMut(P) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Response<R>, Error>> + Send + 'a,
    I: Fn(&R) -> PageInfo<T> + Send + Sync + 'a,
{
    let walk = Walk {
        fetch,
        operation,
        next: first.map_or(1, Into::into).max(1),
        pages: 0,
        seen: 0,
        page_size: None,
        previous_first: None,
        total: None,
        done: false,
    };
    let info = std::sync::Arc::new(info);
    Box::pin(stream::unfold(walk, move |mut walk| {
        let info = info.clone();
        async move {
            if walk.done {
                return None;
            }
            if walk.pages >= MAX_PAGES {
                return walk.fail(format!("no list is walked past {MAX_PAGES} pages"));
            }
            if let (Some(total), Some(size)) = (walk.total, walk.page_size) {
                let needed = (total.div_ceil(size.max(1)) as u64).saturating_add(1);
                if u64::from(walk.pages) >= needed {
                    return walk.fail(format!("totalCount {total} needs at most {needed} pages of {size}"));
                }
            }
            let Ok(number) = P::try_from(walk.next) else {
                let page = walk.next;
                return walk.fail(format!("pageNum {page} does not fit the parameter's type"));
            };
            let response = match (walk.fetch)(number).await {
                Ok(r) => r,
                Err(e) => {
                    walk.done = true;
                    return Some((Err(e), walk));
                }
            };
            walk.pages += 1;
            let PageInfo { len, total, first } = info(&response);
            if len == 0 {
                walk.done = true;
                // The first page is handed out even when empty (it says
                // totalCount 0); a later empty page only ends the walk.
                return (walk.pages == 1).then_some((Ok(response), walk));
            }
            if walk.pages > 1 && first.is_some() && first == walk.previous_first {
                let page = walk.next;
                return walk.fail(format!(
                    "page {page} starts with the same item as page {}; the server ignores pageNum",
                    page - 1
                ));
            }
            walk.previous_first = first;
            let largest = walk.page_size.map_or(len, |size| size.max(len));
            walk.page_size = Some(largest);
            walk.seen = walk.seen.saturating_add(len);
            walk.total = total.or(walk.total);
            if len < largest || walk.total.is_some_and(|t| walk.seen >= t) {
                walk.done = true;
            }
            walk.next = walk.next.saturating_add(1);
            Some((Ok(response), walk))
        }
    }))
}

/// The items of `pages`, page after page; `results` takes a page's items.
#[doc(hidden)]
pub fn items<'a, R, T>(pages: Pages<'a, R>, results: fn(R) -> Vec<T>) -> Items<'a, T>
where
    R: Send + 'a,
    T: Send + 'a,
{
    Box::pin(
        pages
            .map_ok(move |page| stream::iter(results(page.into_inner()).into_iter().map(Ok)))
            .try_flatten(),
    )
}

/// Every item of `items` in one `Vec` (`send_all()`).
#[doc(hidden)]
pub fn collect<'a, T: Send + 'a>(items: Items<'a, T>) -> SendFuture<'a, Vec<T>> {
    Box::pin(items.try_collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    type Page = (Vec<i32>, Option<usize>);

    fn info(p: &Page) -> PageInfo<i32> {
        PageInfo {
            len: p.0.len(),
            total: p.1,
            first: p.0.first().copied(),
        }
    }

    fn response(p: Page) -> Response<Page> {
        Response {
            status: 200,
            headers: Default::default(),
            value: p,
            deprecation: None,
            sunset: None,
            deviations: Vec::new(),
            body: Default::default(),
        }
    }

    fn run(source: impl Fn(i32) -> Page + Send + Sync + 'static) -> (Result<Vec<i32>, Error>, u32) {
        let calls = Arc::new(AtomicU32::new(0));
        let counter = calls.clone();
        let source = Arc::new(source);
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let out = rt.block_on(async move {
            let pages = pages(
                "listThings",
                Some(1i32),
                move |n: i32| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let source = source.clone();
                    async move { Ok(response(source(n))) }
                },
                info,
            );
            collect(items(pages, |p: Page| p.0)).await
        });
        (out, calls.load(Ordering::SeqCst))
    }

    #[test]
    fn walks_until_total_count_a_short_page_or_an_empty_page() {
        let (all, calls) = run(|n| (if n <= 3 { vec![n * 10, n * 10 + 1] } else { vec![] }, None));
        assert_eq!(all.unwrap(), [10, 11, 20, 21, 30, 31]);
        assert_eq!(calls, 4, "the empty page ends it");
        // Without totalCount (includeCount=false), pages of 3 (a cap below
        // the size asked for) then 1: the short page is the last.
        let (all, calls) = run(|n| match n {
            1 | 2 => (vec![n * 10, n * 10 + 1, n * 10 + 2], None),
            3 => (vec![30], None),
            _ => (vec![99], None),
        });
        assert_eq!(all.unwrap(), [10, 11, 12, 20, 21, 22, 30]);
        assert_eq!(calls, 3, "no request after the short page");
        // A first page shorter than asked for is not known to be short.
        let (all, calls) = run(|n| (if n == 1 { vec![1, 2] } else { vec![] }, None));
        assert_eq!(all.unwrap(), [1, 2]);
        assert_eq!(calls, 2);
        let (all, calls) = run(|n| (vec![n], Some(2)));
        assert_eq!(all.unwrap(), [1, 2]);
        assert_eq!(calls, 2, "totalCount ends it without an extra request");
    }

    #[test]
    fn a_server_that_ignores_page_num_is_an_error_not_a_loop() {
        let (err, calls) = run(|_| (vec![1, 2, 3], None));
        assert!(matches!(err, Err(Error::Paging { pages: 2, .. })), "{err:?}");
        assert_eq!(calls, 2);
        // Distinct items, but more pages than totalCount allows.
        let (all, calls) = run(|n| (vec![n * 2, n * 2 + 1], Some(3)));
        assert_eq!(all.unwrap(), [2, 3, 4, 5], "4 items >= totalCount 3: done");
        assert_eq!(calls, 2);
        let (err, _) = run(|n| (vec![n], Some(usize::MAX)));
        assert!(matches!(err, Err(Error::Paging { pages: MAX_PAGES, .. })), "{err:?}");
    }

    #[test]
    fn nothing_is_sent_until_the_stream_is_polled() {
        let calls = Arc::new(AtomicU32::new(0));
        let counter = calls.clone();
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async move {
            let mut s = pages(
                "listThings",
                None::<i32>,
                move |n: i32| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    async move { Ok(response((vec![n], Some(5)))) }
                },
                info,
            );
            assert_eq!(calls.load(Ordering::SeqCst), 0, "lazy");
            let first = s.next().await.unwrap().unwrap();
            assert_eq!(first.value.0, [1]);
            assert_eq!(calls.load(Ordering::SeqCst), 1, "one page at a time");
        });
    }
}
