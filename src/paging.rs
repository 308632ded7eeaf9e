//! Turning page-at-a-time operations into one stream of items.

use crate::error::Error;
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

/// The items of every page `fetch` returns, in order, at most `limit` of
/// them. `fetch` answers a page and whether it was the last; an error ends
/// the stream after it is yielded. No page is fetched that `limit` makes
/// unnecessary.
pub(crate) fn items<'a, T, F, Fut>(
    limit: Option<usize>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + 'a
where
    T: 'a,
    F: FnMut(Cursor) -> Fut + 'a,
    Fut: Future<Output = Result<(Vec<T>, bool), Error>> + 'a,
{
    struct State<F> {
        fetch: F,
        cursor: Cursor,
        done: bool,
        left: Option<usize>,
    }
    let state = State {
        fetch,
        cursor: Cursor { page: 1, offset: 0 },
        done: limit == Some(0),
        left: limit,
    };
    stream::try_unfold(state, |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let (mut page, last) = (state.fetch)(state.cursor).await?;
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
