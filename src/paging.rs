//! Turning page-at-a-time operations into one stream of items.

use crate::error::{Context, Error};
use futures_util::{Stream, TryStreamExt, stream};
use std::future::Future;

/// Where the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// 1-based page number.
    pub(crate) page: i64,
    /// How many items earlier pages held.
    pub(crate) offset: i64,
}

/// What a page must look like for paging to be trusted.
pub(crate) struct Check<T> {
    /// Where an error points (provider and operation).
    pub(crate) context: Context,
    /// The page size asked for, when paging.
    pub(crate) size: Option<usize>,
    /// An item's identity: a page that starts as the one before did was
    /// sent again.
    pub(crate) id: fn(&T) -> Option<String>,
}

/// The items of every page `fetch` returns, in order, at most `limit` of
/// them. `fetch` answers a page and whether it was the last; an error ends
/// the stream after it is yielded. No page is fetched that `limit` makes
/// unnecessary.
///
/// A server that does not page as asked ends the stream with
/// [`Error::UnexpectedResponse`] rather than looping or cutting it short
/// silently: a page longer than the size asked for, or one starting with
/// the item the page before started with (the page parameter ignored,
/// which would otherwise repeat the same page forever).
pub(crate) fn items<'a, T, F, Fut>(
    limit: Option<usize>,
    check: Check<T>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + 'a
where
    T: 'a,
    F: FnMut(Cursor) -> Fut + 'a,
    Fut: Future<Output = Result<(Vec<T>, bool), Error>> + 'a,
{
    struct State<F, T> {
        fetch: F,
        check: Check<T>,
        cursor: Cursor,
        done: bool,
        left: Option<usize>,
        first: Option<String>,
    }
    let state = State {
        fetch,
        check,
        cursor: Cursor { page: 1, offset: 0 },
        done: limit == Some(0),
        left: limit,
        first: None,
    };
    stream::try_unfold(state, |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let (mut page, last) = (state.fetch)(state.cursor).await?;
        let unpaged = |reason: String| Error::UnexpectedResponse {
            reason: format!("{reason}: the server does not page as asked"),
            body_excerpt: String::new(),
            context: state.check.context.clone(),
        };
        if let Some(size) = state.check.size.filter(|&size| page.len() > size) {
            return Err(unpaged(format!(
                "page {} held {} items, more than the {size} asked for",
                state.cursor.page,
                page.len()
            )));
        }
        let first = page.first().and_then(state.check.id);
        if first.is_some() && first == state.first {
            return Err(unpaged(format!(
                "page {} starts with the item page {} started with",
                state.cursor.page,
                state.cursor.page - 1
            )));
        }
        state.first = first;
        if let Some(left) = &mut state.left {
            page.truncate(*left);
            *left -= page.len();
            state.done = *left == 0;
        }
        state.done |= last || page.is_empty();
        state.cursor.page += 1;
        state.cursor.offset += page.len() as i64;
        Ok(Some((stream::iter(page.into_iter().map(Ok)), state)))
    })
    .try_flatten()
}
