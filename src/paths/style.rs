//! Paths as text under one operating system's rules (Windows or Unix), as pure functions over
//! a path's bytes: the output formats call them with the native style, and the tests call them
//! with both, so the Windows spellings (`C:\repo`, `\\server\share`, drive letters in either
//! case) are checked on every OS.
//!
//! - Text is `/`-separated on every OS: `infra\main.tf` is written `infra/main.tf`.
//! - Windows compares names, drive letters and shares case-insensitively (NTFS and SMB do),
//!   one character to one as NTFS's upcase table does (not Unicode's full case folding);
//!   Unix, macOS included, compares bytes: a macOS volume may be case-sensitive or not, so
//!   certgate does not guess, and two spellings of one name are two paths.
//! - A name that is not UTF-8 keeps its valid parts and shows other bytes as `\xNN` (see
//!   [`bytes_text`]); in a URI its raw bytes are percent-encoded instead.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whose rules a path follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `/` separates; `/` starts an absolute path; names compare byte for byte.
    Unix,
    /// `\` and `/` separate; drive letters (`C:`) and UNC shares (`\\server\share`) start
    /// absolute paths; names compare without regard to case.
    Windows,
}

impl PathStyle {
    /// The style of the OS certgate runs on.
    pub const NATIVE: PathStyle = if cfg!(windows) {
        PathStyle::Windows
    } else {
        PathStyle::Unix
    };

    fn is_separator(self, byte: u8) -> bool {
        byte == b'/' || (self == PathStyle::Windows && byte == b'\\')
    }

    fn same_name(self, a: &[u8], b: &[u8]) -> bool {
        match self {
            PathStyle::Unix => a == b,
            PathStyle::Windows => match (std::str::from_utf8(a), std::str::from_utf8(b)) {
                (Ok(a), Ok(b)) => a.chars().map(ntfs_upcase).eq(b.chars().map(ntfs_upcase)),
                _ => a.eq_ignore_ascii_case(b),
            },
        }
    }
}

/// `c` as NTFS compares it: through its upcase table, which maps one UTF-16 code unit to
/// one. So a character whose upper case is several (`ß` is `SS`) stays itself, and one
/// outside the Basic Multilingual Plane (two code units) is never folded. Full lower-casing
/// would join names NTFS keeps apart: the Kelvin sign `K` and `k`, `ẞ` and `ß`, `İ` and `i̇`.
fn ntfs_upcase(c: char) -> char {
    if u32::from(c) > 0xFFFF {
        return c;
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root<'a> {
    /// Nowhere: relative to the current directory.
    Relative,
    /// `/` (on Windows `\`: the root of the current drive).
    Slash,
    /// A drive, its letter upper-cased: `C:\` when `rooted`, else drive-relative `C:x`.
    Drive { letter: u8, rooted: bool },
    /// `\\server\share\` (also `\\?\UNC\server\share\`).
    Share { server: &'a [u8], share: &'a [u8] },
}

impl Root<'_> {
    fn is_absolute(&self) -> bool {
        matches!(
            self,
            Root::Slash | Root::Drive { rooted: true, .. } | Root::Share { .. }
        )
    }

    fn same(&self, other: &Root<'_>, style: PathStyle) -> bool {
        match (self, other) {
            (
                Root::Share { server, share },
                Root::Share {
                    server: other_server,
                    share: other_share,
                },
            ) => style.same_name(server, other_server) && style.same_name(share, other_share),
            _ => self == other,
        }
    }
}

/// A path split into where it starts and its names, `.` dropped and `name/..` folded.
#[derive(Debug)]
struct Parsed<'a> {
    root: Root<'a>,
    names: Vec<&'a [u8]>,
}

fn parse(path: &[u8], style: PathStyle) -> Parsed<'_> {
    let (root, rest) = match style {
        PathStyle::Unix => match path.first() {
            Some(b'/') => (Root::Slash, &path[1..]),
            _ => (Root::Relative, path),
        },
        PathStyle::Windows => windows_root(path),
    };
    let mut names: Vec<&[u8]> = Vec::new();
    for name in rest.split(|&byte| style.is_separator(byte)) {
        match name {
            b"" | b"." => {}
            b".." => match names.last() {
                Some(last) if *last != b".." => {
                    names.pop();
                }
                // Above the root is the root.
                _ if root.is_absolute() => {}
                _ => names.push(name),
            },
            _ => names.push(name),
        }
    }
    Parsed { root, names }
}

/// The root of a Windows path and the rest: `\\?\C:\`, `\\?\UNC\s\h\`, `\\s\h\`, `C:\`, `C:`,
/// `\`, or none.
fn windows_root(path: &[u8]) -> (Root<'_>, &[u8]) {
    fn sep(byte: &u8) -> bool {
        matches!(byte, b'\\' | b'/')
    }
    /// The length of the first name of `text` and where what follows it starts.
    fn next(text: &[u8]) -> (usize, usize) {
        let end = text.iter().position(sep).unwrap_or(text.len());
        (end, (end + 1).min(text.len()))
    }
    fn drive(text: &[u8]) -> Option<u8> {
        match text {
            [letter, b':', ..] if letter.is_ascii_alphabetic() => Some(letter.to_ascii_uppercase()),
            _ => None,
        }
    }
    if let [a, b, rest @ ..] = path
        && sep(a)
        && sep(b)
    {
        // `\\?\` (verbatim) and `\\.\` (device) name a drive, a share or a device.
        let rest = match rest {
            [b'?' | b'.', s, after @ ..] if sep(s) => {
                if let Some(letter) = drive(after) {
                    let rooted = after.get(2).is_some_and(sep);
                    return (Root::Drive { letter, rooted }, &after[2..]);
                }
                match after.get(..4) {
                    Some(unc) if unc[..3].eq_ignore_ascii_case(b"UNC") && sep(&unc[3]) => {
                        &after[4..]
                    }
                    _ => rest,
                }
            }
            _ => rest,
        };
        let (end, after) = next(rest);
        let server = &rest[..end];
        let rest = &rest[after..];
        let (end, after) = next(rest);
        return (
            Root::Share {
                server,
                share: &rest[..end],
            },
            &rest[after..],
        );
    }
    if let Some(letter) = drive(path) {
        let rooted = path.get(2).is_some_and(sep);
        return (Root::Drive { letter, rooted }, &path[2..]);
    }
    match path.first() {
        Some(byte) if sep(byte) => (Root::Slash, &path[1..]),
        _ => (Root::Relative, path),
    }
}

/// `bytes` as text: valid UTF-8 as it is, other bytes as `\xNN`.
pub fn bytes_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(valid) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(valid);
    }
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02X}");
        }
    }
    Cow::Owned(out)
}

/// `path` as certgate shows it: as written, but `/`-separated (a Windows `infra\main.tf` is
/// `infra/main.tf`, `C:\repo` is `C:/repo`). A verbatim drive or share (`\\?\C:\repo`,
/// `\\?\UNC\server\share`, what canonicalising gives on Windows) is shown as users write
/// it, `C:/repo` and `//server/share`: `//?/C:/repo` would be neither, since a verbatim
/// path with `/` is no longer verbatim.
pub fn text(path: &[u8], style: PathStyle) -> Cow<'_, str> {
    let text = bytes_text(path);
    if style == PathStyle::Windows && text.contains('\\') {
        let (lead, rest) = match verbatim_tail(&text) {
            Some(rest) if drive_root(rest) => ("", rest),
            Some(rest)
                if rest
                    .get(..4)
                    .is_some_and(|u| u.eq_ignore_ascii_case("UNC\\")) =>
            {
                ("//", &rest[4..])
            }
            _ => ("", &*text),
        };
        Cow::Owned(format!("{lead}{}", rest.replace('\\', "/")))
    } else {
        text
    }
}

/// What follows the `\\?\` of a verbatim Windows path.
fn verbatim_tail(text: &str) -> Option<&str> {
    text.strip_prefix("\\\\?\\")
}

/// Whether `text` starts with a rooted drive (`C:\`) or is a bare one (`C:`).
fn drive_root(text: &str) -> bool {
    match text.as_bytes() {
        [letter, b':'] | [letter, b':', b'\\', ..] => letter.is_ascii_alphabetic(),
        _ => false,
    }
}

/// The names leading from `base` to `path` (`..` to climb out of `base`), both normalised
/// lexically; `None` when no relative path joins them: one is absolute and the other not,
/// they are on two drives or shares, or `base` climbs above an unknown directory.
pub fn relative<'a>(base: &[u8], path: &'a [u8], style: PathStyle) -> Option<Vec<&'a [u8]>> {
    let base = parse(base, style);
    let path = parse(path, style);
    if !base.root.same(&path.root, style) {
        return None;
    }
    let common = base
        .names
        .iter()
        .zip(&path.names)
        .take_while(|(a, b)| style.same_name(a, b))
        .count();
    let climbs = &base.names[common..];
    if climbs.contains(&&b".."[..]) {
        return None;
    }
    let mut names: Vec<&[u8]> = vec![b".."; climbs.len()];
    names.extend_from_slice(&path.names[common..]);
    Some(names)
}

/// Names joined with `/`, each as [`bytes_text`] shows it.
fn join(names: &[&[u8]]) -> String {
    join_with(names, |name| bytes_text(name).into_owned())
}

/// Names joined with `/`, each spelled by `spell`.
fn join_with(names: &[&[u8]], spell: impl Fn(&[u8]) -> String) -> String {
    names
        .iter()
        .map(|name| spell(name))
        .collect::<Vec<_>>()
        .join("/")
}

/// `path` relative to `base`, `/`-separated (`..` climbs); when no relative path joins them
/// (another drive), `path` itself, normalised and `/`-separated.
pub fn relative_text(base: &[u8], path: &[u8], style: PathStyle) -> String {
    match relative(base, path, style) {
        Some(names) => join(&names),
        None => absolute_text(path, style),
    }
}

/// `path` normalised and `/`-separated, its root written the native way but with `/`:
/// `/a/b`, `C:/a/b`, `//server/share/a/b`.
fn absolute_text(path: &[u8], style: PathStyle) -> String {
    let parsed = parse(path, style);
    let root = match parsed.root {
        Root::Relative => String::new(),
        Root::Slash => "/".to_string(),
        Root::Drive { letter, rooted } => {
            format!("{}:{}", char::from(letter), if rooted { "/" } else { "" })
        }
        Root::Share { server, share } => {
            format!("//{}/{}/", bytes_text(server), bytes_text(share))
        }
    };
    root + &join(&parsed.names)
}

/// `path` relative to `root` when it lies inside it (no `..`), `/`-separated; `None` outside.
pub fn inside(root: &[u8], path: &[u8], style: PathStyle) -> Option<String> {
    let names = relative(root, path, style)?;
    if names.first() == Some(&&b".."[..]) {
        return None;
    }
    Some(join(&names))
}

/// `bytes` percent-encoded for a URI path: unreserved characters and the sub-delimiters that
/// are safe in a path stay; `:` is encoded because a relative reference must not have one in
/// its first segment.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Names as a URI path: percent-encoded, joined with `/`.
fn encode_names(names: &[&[u8]]) -> String {
    join_with(names, encode)
}

/// The URI reference of `path` relative to `base` (`infra/main%20x.tf`, `../x.tf`), `None`
/// when no relative path joins them.
pub fn relative_uri(base: &[u8], path: &[u8], style: PathStyle) -> Option<String> {
    relative(base, path, style).map(|names| encode_names(&names))
}

/// The `file:` URI of the absolute `path` (a trailing `/` when `directory`):
/// `file:///home/a%20b`, `file:///C:/repo` (the drive letter upper-cased), and
/// `file://server/share/dir` for a UNC path. `None` for a relative path.
pub fn file_uri(path: &[u8], style: PathStyle, directory: bool) -> Option<String> {
    let parsed = parse(path, style);
    let names = encode_names(&parsed.names);
    let mut uri = match parsed.root {
        Root::Relative | Root::Drive { rooted: false, .. } => return None,
        Root::Slash => format!("file:///{names}"),
        Root::Drive { letter, .. } => format!("file:///{}:/{names}", char::from(letter)),
        Root::Share { server, share } => {
            let share = encode(share);
            let path = if names.is_empty() {
                share
            } else {
                format!("{share}/{names}")
            };
            format!("file://{}/{path}", encode(server))
        }
    };
    if directory && !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

#[cfg(test)]
mod tests;
