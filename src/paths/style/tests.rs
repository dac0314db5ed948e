//! The path rules of both styles, on every OS.

use super::PathStyle::{Unix, Windows};
use super::*;

fn rel(base: &str, path: &str, style: PathStyle) -> Option<String> {
    relative(base.as_bytes(), path.as_bytes(), style).map(|names| join(&names))
}

#[test]
fn windows_paths_relative_to_the_repository_are_slashed() {
    assert_eq!(
        relative_text(br"C:\repo", br"C:\repo\infra\main.tf", Windows),
        "infra/main.tf"
    );
    // Drive letters and names in either case: one file system, one file.
    assert_eq!(
        relative_text(br"c:\Repo", br"C:\repo\Infra\main.tf", Windows),
        "Infra/main.tf"
    );
    // Forward slashes are separators too, and `.`/`..` fold.
    assert_eq!(
        relative_text(b"C:/repo/ci", br"C:\repo\.\infra\x\..\main.tf", Windows),
        "../infra/main.tf"
    );
    // A verbatim path (what canonicalising gives) names the same drive.
    assert_eq!(
        relative_text(br"C:\repo", br"\\?\C:\repo\main.tf", Windows),
        "main.tf"
    );
}

#[test]
fn unix_paths_compare_byte_for_byte() {
    assert_eq!(
        relative_text(b"/repo", b"/repo/infra/main.tf", Unix),
        "infra/main.tf"
    );
    // macOS included: a case-sensitive volume may hold both, so they are two paths.
    assert_eq!(
        rel("/Repo", "/repo/main.tf", Unix).as_deref(),
        Some("../repo/main.tf")
    );
    // A backslash is part of a Unix name.
    assert_eq!(rel("/r", r"/r/a\b.tf", Unix).as_deref(), Some(r"a\b.tf"));
    assert_eq!(text(br"a\b.tf", Unix), r"a\b.tf");
}

#[test]
fn paths_on_another_drive_or_share_stay_absolute() {
    assert_eq!(rel(r"C:\repo", r"D:\infra\main.tf", Windows), None);
    assert_eq!(
        relative_text(br"C:\repo", br"D:\infra\main.tf", Windows),
        "D:/infra/main.tf"
    );
    assert_eq!(
        relative_text(br"C:\repo", br"\\server\share\infra\main.tf", Windows),
        "//server/share/infra/main.tf"
    );
    assert_eq!(
        rel(r"\\server\share\a", r"\\server\other\a\b", Windows),
        None
    );
    assert_eq!(
        rel(r"\\SERVER\Share\a", r"\\server\share\a\b.tf", Windows).as_deref(),
        Some("b.tf")
    );
    assert_eq!(
        rel(r"\\?\UNC\server\share\a", r"\\server\share\a\b.tf", Windows).as_deref(),
        Some("b.tf")
    );
    // Relative against absolute: nothing joins them.
    assert_eq!(rel("/repo", "infra/main.tf", Unix), None);
    assert_eq!(rel(r"C:\repo", r"infra\main.tf", Windows), None);
    assert_eq!(rel("../up", "x", Unix), None);
}

#[test]
fn inside_means_below_the_root_only() {
    assert_eq!(
        inside(br"C:\repo", br"c:\REPO\infra\main.tf", Windows).as_deref(),
        Some("infra/main.tf")
    );
    assert_eq!(inside(br"C:\repo", br"C:\other\main.tf", Windows), None);
    assert_eq!(inside(br"C:\repo", br"D:\repo\main.tf", Windows), None);
    assert_eq!(
        inside(b"/repo", b"/repo/a/../b.tf", Unix).as_deref(),
        Some("b.tf")
    );
    assert_eq!(inside(b"/repo", b"/Repo/b.tf", Unix), None);
    assert_eq!(inside(b"/repo", b"/repo", Unix).as_deref(), Some(""));
}

#[test]
fn text_is_slashed_on_windows_and_escapes_bytes_that_are_not_utf8() {
    assert_eq!(text(br"infra\main.tf", Windows), "infra/main.tf");
    assert_eq!(text(br"C:\repo\main.tf", Windows), "C:/repo/main.tf");
    assert_eq!(
        text(br"\\server\share\x.tf", Windows),
        "//server/share/x.tf"
    );
    assert_eq!(text(b"caf\xe9/x.tf", Unix), "caf\\xE9/x.tf");
    assert!(matches!(text(b"plain/main.tf", Unix), Cow::Borrowed(_)));
    assert!(matches!(text(b"plain/main.tf", Windows), Cow::Borrowed(_)));
}

#[test]
fn file_uris_of_drives_shares_and_unix_roots() {
    let uri = |path: &str, style, directory| file_uri(path.as_bytes(), style, directory);
    assert_eq!(
        uri(r"C:\repo", Windows, true).as_deref(),
        Some("file:///C:/repo/")
    );
    assert_eq!(
        uri(r"c:\repo\", Windows, true).as_deref(),
        Some("file:///C:/repo/")
    );
    assert_eq!(uri(r"C:\", Windows, true).as_deref(), Some("file:///C:/"));
    assert_eq!(
        uri(r"\\server\share\dir", Windows, true).as_deref(),
        Some("file://server/share/dir/")
    );
    assert_eq!(
        uri(r"\\?\UNC\server\share\a b", Windows, false).as_deref(),
        Some("file://server/share/a%20b")
    );
    assert_eq!(
        uri(r"C:\Users\Zoë\my repo", Windows, true).as_deref(),
        Some("file:///C:/Users/Zo%C3%AB/my%20repo/")
    );
    assert_eq!(
        uri("/a b/c", Unix, true).as_deref(),
        Some("file:///a%20b/c/")
    );
    assert_eq!(uri("/", Unix, true).as_deref(), Some("file:///"));
    // A `:` after the first segment of an absolute URI is legal, but encoded in a name
    // all the same: only the drive keeps its own.
    assert_eq!(
        uri("/in,fra:x/we%ird.tf", Unix, false).as_deref(),
        Some("file:///in,fra%3Ax/we%25ird.tf")
    );
    assert_eq!(uri("relative/x", Unix, false), None);
    assert_eq!(uri(r"C:relative", Windows, false), None);
}

#[test]
fn relative_uris_are_encoded_and_slashed() {
    assert_eq!(
        relative_uri(br"C:\repo", b"C:\\repo\\in fra\\m\xc3\xbc.tf", Windows).as_deref(),
        Some("in%20fra/m%C3%BC.tf")
    );
    assert_eq!(
        relative_uri(b"/repo/ci", b"/repo/a:b/x.tf", Unix).as_deref(),
        Some("../a%3Ab/x.tf")
    );
    assert_eq!(relative_uri(br"C:\repo", br"D:\x.tf", Windows), None);
    // Raw bytes that are not UTF-8 are encoded as bytes.
    assert_eq!(
        relative_uri(b"/r", b"/r/caf\xe9.tf", Unix).as_deref(),
        Some("caf%E9.tf")
    );
}

#[test]
fn dotdot_stops_at_the_root_and_stays_when_relative() {
    assert_eq!(rel("/", "/../../a", Unix).as_deref(), Some("a"));
    assert_eq!(rel(r"C:\", r"C:\..\a", Windows).as_deref(), Some("a"));
    assert_eq!(rel("", "../a/./b/..", Unix).as_deref(), Some("../a"));
    assert_eq!(rel("a", "a/b", Unix).as_deref(), Some("b"));
}

#[test]
fn odd_spellings_never_panic_and_keep_their_roots() {
    let odd = [
        "",
        "\\",
        "\\\\",
        "\\\\?",
        "\\\\?\\",
        "\\\\?\\UNC",
        "\\\\?\\UNC\\",
        "\\\\.\\pipe\\x",
        "C:",
        "c:x",
        "C:\\",
        "/",
        "//",
        "..",
        "../..",
        "a/../..",
        "\\\\s",
        "\\\\s\\",
        "Z:..\\x",
        "é:\\x",
    ];
    for style in [Unix, Windows] {
        for base in odd {
            for path in odd {
                let (base, path) = (base.as_bytes(), path.as_bytes());
                let _ = relative_text(base, path, style);
                let _ = relative_uri(base, path, style);
                let _ = inside(base, path, style);
                let _ = file_uri(path, style, true);
                let _ = text(path, style);
            }
        }
    }
    // `é:` is not a drive: only an ASCII letter is.
    assert_eq!(file_uri("é:\\x".as_bytes(), Windows, false), None);
    assert_eq!(
        file_uri(br"\\.\pipe\x", Windows, false).as_deref(),
        Some("file://./pipe/x")
    );
}
