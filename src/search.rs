//! Case-insensitive byte searches shared by the front ends' sniffs (ARM and Bicep types).
//!
//! Every search of the sniffs looks for one literal with `memchr` (SIMD) and checks the few
//! places it occurs; that is an order of magnitude faster than an automaton over all patterns,
//! because most bytes of a repository are not near any candidate.

/// `Microsoft.Web/sites` in any case (ARM and Bicep resource types are case-insensitive).
pub fn names_site_type(bytes: &[u8]) -> bool {
    contains_ignore_ascii_case(bytes, b"microsoft.web/sites", 13)
}

/// Whether `needle` (lowercase ASCII) occurs in `bytes` in any ASCII case. `anchor` is the
/// index of a byte of `needle` that is rare in text (a `/`, a `v`): its occurrences are found
/// with `memchr` and the needle is compared around each.
pub fn contains_ignore_ascii_case(bytes: &[u8], needle: &[u8], anchor: usize) -> bool {
    let lower = needle[anchor];
    let upper = lower.to_ascii_uppercase();
    memchr::memchr2_iter(lower, upper, bytes).any(|at| {
        at.checked_sub(anchor)
            .and_then(|start| bytes.get(start..start + needle.len()))
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_type_is_found_at_the_edges_and_in_any_case() {
        assert!(names_site_type(b"Microsoft.Web/Sites"));
        assert!(names_site_type(b"x MICROSOFT.WEB/SITES/slots"));
        assert!(!names_site_type(b"/sites"));
        assert!(!names_site_type(b"microsoft.web/site"));
        assert!(contains_ignore_ascii_case(
            b"RelativePath",
            b"relativepath",
            6
        ));
        assert!(!contains_ignore_ascii_case(
            b"relative path v",
            b"relativepath",
            6
        ));
    }
}
