//! File names as text. Linux allows any bytes in a name but `/` and NUL, so a name need not be
//! UTF-8. Such a name keeps its valid parts and shows every other byte as `\xNN`, so the user
//! can still tell which file it is (a lossy conversion would make `caf\xE9.tf` and
//! `caf\xE8.tf` the same `caf�.tf`). Each output format then escapes the text as it escapes
//! any other (JSON strings, XML, workflow-command properties, control characters in human
//! output); SARIF URIs percent-encode the raw bytes instead (`%E9`).

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::Path;

/// `path` as text, with bytes that are not UTF-8 written as `\xNN`.
pub fn path_text(path: &Path) -> Cow<'_, str> {
    os_text(path.as_os_str())
}

/// One name (or any OS string) as text, with bytes that are not UTF-8 written as `\xNN`.
pub fn os_text(text: &OsStr) -> Cow<'_, str> {
    if let Some(valid) = text.to_str() {
        return Cow::Borrowed(valid);
    }
    let mut out = String::new();
    for chunk in text.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02X}");
        }
    }
    Cow::Owned(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn invalid_bytes_are_escaped_and_valid_text_kept() {
        let name = OsStr::from_bytes(b"dir/caf\xe9-\xc3\xbc\xff.tf");
        assert_eq!(os_text(name), "dir/caf\\xE9-\u{fc}\\xFF.tf");
        assert_eq!(path_text(Path::new("plain/main.tf")), "plain/main.tf");
        // Two names that a lossy conversion would merge stay apart.
        assert_ne!(
            os_text(OsStr::from_bytes(b"\xe9.tf")),
            os_text(OsStr::from_bytes(b"\xe8.tf"))
        );
    }
}
