//! Applies byte-range edits to a text in one pass: sorted, identical duplicates merged,
//! overlapping edits refused.

use std::ops::Range;

/// Whether two edits touch the same bytes (or insert at the same point) and are not the same
/// edit. An insertion at the very start or end of a replaced range does not overlap it.
pub fn overlaps(a: (&Range<usize>, &str), b: (&Range<usize>, &str)) -> bool {
    if a == b {
        return false;
    }
    let (ra, rb) = (a.0, b.0);
    match (ra.is_empty(), rb.is_empty()) {
        (true, true) => ra.start == rb.start,
        (true, false) => rb.start < ra.start && ra.start < rb.end,
        (false, true) => ra.start < rb.start && rb.start < ra.end,
        (false, false) => ra.start < rb.end && rb.start < ra.end,
    }
}

/// `text` with `edits` applied. Offsets are bytes into `text`; an edit outside it, off a
/// character boundary, or overlapping another is an error naming it.
pub fn apply(text: &str, edits: &[(Range<usize>, String)]) -> Result<String, String> {
    let mut sorted: Vec<&(Range<usize>, String)> = edits.iter().collect();
    sorted.sort_by(|a, b| (a.0.start, a.0.end, &a.1).cmp(&(b.0.start, b.0.end, &b.1)));
    sorted.dedup();
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if overlaps((&a.0, &a.1), (&b.0, &b.1)) {
            return Err(format!(
                "edits at bytes {}..{} and {}..{} overlap",
                a.0.start, a.0.end, b.0.start, b.0.end
            ));
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (range, replacement) in sorted {
        let bad = range.start < at
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end);
        if bad {
            return Err(format!(
                "edit at bytes {}..{} does not fit the text",
                range.start, range.end
            ));
        }
        out.push_str(&text[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: Range<usize>, text: &str) -> (Range<usize>, String) {
        (range, text.to_string())
    }

    #[test]
    fn applies_in_order_and_merges_duplicates() {
        let edits = [
            edit(6..11, "true"),
            edit(0..0, "# "),
            edit(6..11, "true"),
            edit(11..11, ","),
        ];
        assert_eq!(apply("a = 1 false", &edits).unwrap(), "# a = 1 true,");
    }

    #[test]
    fn refuses_overlaps_and_bad_ranges() {
        assert!(apply("abcdef", &[edit(0..3, "x"), edit(2..4, "y")]).is_err());
        assert!(apply("abcdef", &[edit(2..2, "x"), edit(2..2, "y")]).is_err());
        assert!(apply("abcdef", &[edit(1..4, "x"), edit(2..2, "y")]).is_err());
        assert!(apply("abc", &[edit(2..9, "x")]).is_err());
        assert!(apply("é", &[edit(1..1, "x")]).is_err());
        assert!(!overlaps((&(0..2), "x"), (&(2..2), "y")));
        assert!(!overlaps((&(2..2), "x"), (&(0..2), "y")));
    }
}
