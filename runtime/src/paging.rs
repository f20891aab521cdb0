//! Walking the pages of a list operation (`pageNum`, `itemsPerPage`,
//! `results`, `totalCount`): once, here, for every generated `send_all()`.

use super::Error;
use std::future::Future;

/// No list is walked past this many pages: at Atlas's largest page size
/// (500) that is five million items.
pub const MAX_PAGES: u32 = 10_000;

/// One page as a generated builder sees it.
#[doc(hidden)]
pub struct Page<T> {
    pub results: Vec<T>,
    pub total_count: Option<usize>,
}

/// Fetches pages from `first` on and returns all their items. Stops at an
/// empty page or when `totalCount` items were seen. Stops with
/// [`Error::Paging`] when two pages in a row hold the same items (the
/// server ignores `pageNum`), when more pages come than `totalCount` needs,
/// or after [`MAX_PAGES`].
#[doc(hidden)]
pub async fn collect_all<T, P, F, Fut>(operation: &'static str, first: Option<P>, mut fetch: F) -> Result<Vec<T>, Error>
where
    T: PartialEq,
    P: Copy + Into<i64> + TryFrom<i64>,
    F: FnMut(P) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let mut all: Vec<T> = Vec::new();
    let mut page: i64 = first.map_or(1, Into::into).max(1);
    let mut pages = 0u32;
    let mut previous_start = 0usize;
    let mut page_size = None;
    loop {
        let number = P::try_from(page).map_err(|_| Error::Paging {
            operation,
            pages,
            reason: format!("pageNum {page} does not fit the parameter's type"),
        })?;
        let Page { results, total_count } = fetch(number).await?;
        pages += 1;
        if results.is_empty() {
            return Ok(all);
        }
        let start = all.len();
        if pages > 1 && all[previous_start..] == results[..] {
            return Err(Error::Paging {
                operation,
                pages,
                reason: format!(
                    "page {page} holds the same items as page {}; the server ignores pageNum",
                    page - 1
                ),
            });
        }
        let size = *page_size.get_or_insert(results.len());
        all.extend(results);
        previous_start = start;
        if total_count.is_some_and(|t| all.len() >= t) {
            return Ok(all);
        }
        if let Some(total) = total_count {
            // Pages needed from the first one on, plus one for a short page.
            let needed = (total.div_ceil(size.max(1)) as u64).saturating_add(1);
            if u64::from(pages) > needed {
                return Err(Error::Paging {
                    operation,
                    pages,
                    reason: format!("totalCount {total} needs at most {needed} pages of {size}"),
                });
            }
        }
        if pages >= MAX_PAGES {
            return Err(Error::Paging {
                operation,
                pages,
                reason: format!("no list is walked past {MAX_PAGES} pages"),
            });
        }
        page = page.checked_add(1).ok_or_else(|| Error::Paging {
            operation,
            pages,
            reason: "pageNum would overflow".into(),
        })?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<T: PartialEq>(pages: impl Fn(i32) -> Page<T>) -> Result<Vec<T>, Error> {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(collect_all("listThings", Some(1), |n: i32| {
            std::future::ready(Ok(pages(n)))
        }))
    }

    #[test]
    fn walks_until_total_count_or_an_empty_page() {
        let all = run(|n| Page {
            results: if n <= 3 { vec![n * 10, n * 10 + 1] } else { vec![] },
            total_count: None,
        })
        .unwrap();
        assert_eq!(all, [10, 11, 20, 21, 30, 31]);
        let all = run(|n| Page {
            results: vec![n],
            total_count: Some(2),
        })
        .unwrap();
        assert_eq!(all, [1, 2]);
    }

    #[test]
    fn a_server_that_ignores_page_num_is_an_error_not_a_loop() {
        let err = run(|_| Page {
            results: vec![1, 2, 3],
            total_count: None,
        })
        .unwrap_err();
        assert!(matches!(err, Error::Paging { pages: 2, .. }), "{err}");
        // Distinct items, but more pages than totalCount allows.
        // A hostile totalCount neither overflows nor walks forever.
        let err = run(|n| Page {
            results: vec![n],
            total_count: Some(usize::MAX),
        })
        .unwrap_err();
        assert!(matches!(err, Error::Paging { pages: MAX_PAGES, .. }), "{err}");
        let err = run(|n| Page {
            results: vec![n, n],
            total_count: Some(1_000_000_000),
        })
        .unwrap_err();
        assert!(err.to_string().contains("pages"), "{err}");
    }
}
