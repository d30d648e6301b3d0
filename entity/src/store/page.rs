//! Cursor pagination over time-ordered (UUID v7) ids.

use uuid::Uuid;

/// One page request: at most `limit` rows whose id is greater than `after`.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// One page of rows and the cursor of the next page, if there is one.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Uuid>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only proves there is more.
    pub fn from_overfetch(mut rows: Vec<T>, limit: u64, id: impl Fn(&T) -> Uuid) -> Self {
        let has_more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next = if has_more { rows.last().map(&id) } else { None };
        Page { items: rows, next }
    }

    /// Converts every item, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overfetch_sets_next_to_the_last_returned_row() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let p = Page::from_overfetch(ids.clone(), 2, |u| *u);
        assert_eq!(p.items, ids[..2].to_vec());
        assert_eq!(p.next, Some(ids[1]));
        let p = Page::from_overfetch(ids.clone(), 3, |u| *u);
        assert_eq!(p.next, None);
    }
}
