//! Turning page-at-a-time operations into one stream of items.

use crate::error::{Context, Error};
use futures_util::{Stream, TryStreamExt, stream};
use std::collections::HashSet;
use std::future::Future;

/// Where the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// 1-based page number.
    pub(crate) page: i64,
    /// How many items earlier pages held.
    pub(crate) offset: i64,
}

/// One page as `fetch` answers it.
pub(crate) struct Page<T> {
    /// Its items, in the server's order.
    pub(crate) items: Vec<T>,
    /// Whether it was the last.
    pub(crate) last: bool,
    /// The answer it came in (status, attempts, request id): where an
    /// error found in it points.
    pub(crate) context: Context,
}

/// The items of every page `fetch` returns, in order, at most `limit` of
/// them, told apart by `id`. `fetch` answers a [`Page`]; an error ends
/// the stream after it is yielded. No page is fetched that `limit` makes
/// unnecessary.
///
/// An item whose id an earlier page already brought is not yielded again
/// (items inserted ahead of the cursor shift onto the next page). A page
/// that is not the last and brings no new id — only items listed already,
/// or items without an id — makes no progress; a second such page in a
/// row ends the stream with [`Error::UnexpectedResponse`]: the server
/// ignores the page parameter, or cycles through pages, and would answer
/// forever. Items without an id are yielded as they come (nothing tells
/// two of them apart). The ids are remembered for the whole listing.
pub(crate) fn items<'a, T, F, Fut>(
    limit: Option<usize>,
    id: fn(&T) -> Option<String>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + 'a
where
    T: 'a,
    F: FnMut(Cursor) -> Fut + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + 'a,
{
    struct State<F, T> {
        fetch: F,
        /// An item's identity.
        id: fn(&T) -> Option<String>,
        cursor: Cursor,
        done: bool,
        left: Option<usize>,
        /// The id of every item yielded so far.
        seen: HashSet<String>,
        /// Pages in a row that brought no new id.
        stale: u8,
    }
    let state = State {
        fetch,
        id,
        cursor: Cursor { page: 1, offset: 0 },
        done: limit == Some(0),
        left: limit,
        seen: HashSet::new(),
        stale: 0,
    };
    stream::try_unfold(state, |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let Page {
            items: page,
            last,
            context,
        } = (state.fetch)(state.cursor).await?;
        let fetched = page.len();
        let mut new_ids = 0usize;
        let mut page: Vec<T> = page
            .into_iter()
            .filter(|item| match (state.id)(item) {
                Some(id) => {
                    let new = state.seen.insert(id);
                    new_ids += usize::from(new);
                    new
                }
                None => true,
            })
            .collect();
        if fetched > 0 && new_ids == 0 && !last {
            state.stale += 1;
            if state.stale >= 2 {
                return Err(Error::UnexpectedResponse {
                    reason: format!(
                        "pages {} and {} brought nothing new (only items listed already, or items without an id): the server does not page as asked",
                        state.cursor.page - 1,
                        state.cursor.page,
                    ),
                    body_excerpt: String::new(),
                    context,
                });
            }
        } else {
            state.stale = 0;
        }
        if let Some(left) = &mut state.left {
            page.truncate(*left);
            *left -= page.len();
            state.done = *left == 0;
        }
        // The cursor moves past everything the page held, yielded or not.
        state.done |= last || fetched == 0;
        state.cursor.page += 1;
        state.cursor.offset += fetched as i64;
        Ok(Some((stream::iter(page.into_iter().map(Ok)), state)))
    })
    .try_flatten()
}
