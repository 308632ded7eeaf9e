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

/// How to tell a page the server sent again.
pub(crate) struct Check<T> {
    /// Where an error points (provider and operation).
    pub(crate) context: Context,
    /// An item's identity.
    pub(crate) id: fn(&T) -> Option<String>,
}

/// The items of every page `fetch` returns, in order, at most `limit` of
/// them. `fetch` answers a page and whether it was the last; an error ends
/// the stream after it is yielded. No page is fetched that `limit` makes
/// unnecessary.
///
/// A page holding only items of the page before brings nothing: it is
/// skipped (items inserted ahead of the cursor shift a page's worth of
/// them onto the next), and a second such page in a row ends the stream
/// with [`Error::UnexpectedResponse`]: the server ignores the page
/// parameter, and would send the same page forever.
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
        /// The ids of the last page that brought something.
        seen: Vec<Option<String>>,
        /// Pages in a row that brought nothing new.
        stale: u8,
    }
    let state = State {
        fetch,
        check,
        cursor: Cursor { page: 1, offset: 0 },
        done: limit == Some(0),
        left: limit,
        seen: Vec::new(),
        stale: 0,
    };
    stream::try_unfold(state, |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let (mut page, last) = (state.fetch)(state.cursor).await?;
        let ids: Vec<Option<String>> = page.iter().map(state.check.id).collect();
        let nothing_new = !ids.is_empty()
            && ids
                .iter()
                .all(|id| id.is_some() && state.seen.contains(id));
        if nothing_new && !last {
            state.stale += 1;
            if state.stale >= 2 {
                return Err(Error::UnexpectedResponse {
                    reason: format!(
                        "pages {} and {} held only items of page {}: the server does not page as asked",
                        state.cursor.page - 1,
                        state.cursor.page,
                        state.cursor.page - 2
                    ),
                    body_excerpt: String::new(),
                    context: state.check.context.clone(),
                });
            }
            // Nothing to yield; the cursor moves on as if it had.
            state.cursor.page += 1;
            state.cursor.offset += page.len() as i64;
            return Ok(Some((stream::iter(Vec::new().into_iter().map(Ok)), state)));
        }
        state.stale = 0;
        if !nothing_new {
            state.seen = ids;
        } else {
            page.clear();
        }
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
