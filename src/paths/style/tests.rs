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

#[test]
fn windows_names_fold_case_one_character_to_one_as_ntfs_does() {
    // Non-ASCII letters fold as NTFS folds them: `É`/`é`, `Σ`/`σ`/`ς`, `Ж`/`ж`.
    assert_eq!(
        rel(r"C:\Café", r"C:\CAFÉ\x.tf", Windows).as_deref(),
        Some("x.tf")
    );
    assert_eq!(
        rel(r"C:\ΣΟΦΊΑ", r"C:\σοφία\x", Windows).as_deref(),
        Some("x")
    );
    assert_eq!(rel(r"C:\Жук", r"C:\жУК\x", Windows).as_deref(), Some("x"));
    assert_eq!(rel(r"C:\ς", r"C:\Σ\x", Windows).as_deref(), Some("x"));
    // NTFS keeps these apart: a one-to-one table cannot map `ß` to `SS`, has no entry joining
    // the Kelvin sign to `k` or `ẞ` to `ß`, and leaves letters outside the BMP as they are.
    for (a, b) in [
        ("ß", "SS"),
        ("ẞ", "ß"),
        ("\u{212A}", "k"),
        ("İ", "i\u{307}"),
        ("\u{10400}", "\u{10428}"),
    ] {
        assert_eq!(
            inside(
                format!(r"C:\{a}").as_bytes(),
                format!(r"C:\{b}\x").as_bytes(),
                Windows
            ),
            None,
            "{a} and {b} are two names on NTFS"
        );
    }
    // Unix: bytes, whatever the letters.
    assert_eq!(inside("/Café".as_bytes(), "/café/x".as_bytes(), Unix), None);
}

mod generated {
    //! Generated spellings: nothing panics, and what [`relative`] answers leads back.

    use proptest::prelude::*;

    use super::*;

    /// Any string of the pieces odd Windows and Unix paths are made of.
    fn odd() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "\\",
            "/",
            "\\\\?\\",
            "\\\\.\\",
            "UNC",
            "C:",
            "z:",
            "..",
            ".",
            "a",
            "É",
            " ",
            "%",
            "?",
            ":",
            "\u{10400}",
            "\u{212A}",
        ]);
        prop::collection::vec(pieces, 0..10).prop_map(|pieces| pieces.concat())
    }

    /// An absolute path: a well-formed root, then names joined by either separator.
    fn absolute() -> impl Strategy<Value = String> {
        let root = prop::sample::select(vec![
            "/",
            r"C:\",
            "c:/",
            r"\\?\C:\",
            r"\\srv\sh\",
            r"\\?\UNC\SRV\sh\",
            "D:/",
        ]);
        let name = prop::sample::select(vec!["a", "A", "..", ".", "é", "É", "b c", "x:y"]);
        let sep = prop::sample::select(vec!["\\", "/"]);
        (root, prop::collection::vec((name, sep), 0..6)).prop_map(|(root, names)| {
            let mut path = root.to_string();
            for (name, sep) in names {
                path.push_str(name);
                path.push_str(sep);
            }
            path
        })
    }

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn odd_spellings_never_panic(base in odd(), path in odd()) {
            for style in [Unix, Windows] {
                let (base, path) = (base.as_bytes(), path.as_bytes());
                let _ = relative_text(base, path, style);
                let _ = relative_uri(base, path, style);
                let _ = inside(base, path, style);
                let _ = file_uri(path, style, true);
                prop_assert!(!text(path, Windows).contains('\\'));
            }
        }

        #[test]
        fn relative_paths_lead_from_the_base_to_the_path(base in absolute(), path in absolute()) {
            let style = Windows;
            if let Some(names) = rel(&base, &path, style) {
                // Every generated base ends with a separator.
                let joined = format!("{base}{names}");
                let back = rel(&path, &joined, style);
                prop_assert_eq!(back.as_deref(), Some(""), "via {}", joined);
                prop_assert_eq!(
                    inside(base.as_bytes(), path.as_bytes(), style).is_some(),
                    !names.starts_with(".."),
                );
            }
            for uri in [file_uri(path.as_bytes(), style, false)].into_iter().flatten() {
                prop_assert!(uri.starts_with("file://"));
                prop_assert!(uri.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'), "{}", uri);
            }
        }
    }
}

#[test]
fn verbatim_drives_and_shares_show_as_users_write_them() {
    // What canonicalising gives on Windows (the project root, a resolved link).
    assert_eq!(text(br"\\?\C:\repo\main.tf", Windows), "C:/repo/main.tf");
    assert_eq!(text(br"\\?\d:", Windows), "d:");
    assert_eq!(
        text(br"\\?\UNC\srv\share\x.tf", Windows),
        "//srv/share/x.tf"
    );
    assert_eq!(text(br"\\?\unc\srv\share", Windows), "//srv/share");
    // Other verbatim paths have no plainer spelling: slashed as they are.
    assert_eq!(text(br"\\?\Volume{1}\repo", Windows), "//?/Volume{1}/repo");
    assert_eq!(text(br"\\?\UN", Windows), "//?/UN");
    assert_eq!(text(br"\\.\C:\x", Windows), "//./C:/x");
    // A backslash is part of a Unix name.
    assert_eq!(text(br"\\?\C:\x", Unix), r"\\?\C:\x");
}
