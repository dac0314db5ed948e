//! Reads input files safely: regular files only, UTF-8 only, with a positioned error otherwise.

use std::fs;
use std::io::Read as _;
use std::path::Path;

use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::source::{SourceFile, SourceMap, Span};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a file's bytes. Refuses anything but a regular file: reading a FIFO or a device would
/// block or never end.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FileError> {
    let metadata = fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if !metadata.is_file() {
        return Err(FileError::unplaced(
            path,
            "not a regular file (a directory, FIFO, socket or device cannot be scanned)",
        ));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    fs::File::open(path)
        .and_then(|mut file| file.read_to_end(&mut bytes))
        .map_err(|e| io_error(path, &e))?;
    Ok(bytes)
}

/// Whether the bytes can declare one of our resources. UTF-16 text is decoded for the search so
/// that such a file is reported (by [`decode`]) rather than silently skipped.
pub fn sniff(kind: FileKind, bytes: &[u8]) -> bool {
    if utf16_order(bytes).is_some() {
        let text = decode_utf16_lossy(bytes);
        return crate::sniff::is_candidate(kind, text.as_bytes());
    }
    crate::sniff::is_candidate(kind, bytes)
}

/// Turns bytes into a loaded source, registered in `sources`. Errors carry a position: the file
/// is registered (lossily decoded) so the error can point into it.
pub fn decode(path: &Path, bytes: Vec<u8>, sources: &SourceMap) -> Result<SourceFile, FileError> {
    if let Some(order) = utf16_order(&bytes) {
        return Err(FileError::unplaced(
            path,
            format!("the file is UTF-16 ({order}) encoded; certgate reads UTF-8, so convert it"),
        ));
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(&bytes);
    if let Some(nul) = memchr::memchr(0, body) {
        return Err(positioned(
            path,
            body,
            nul,
            "binary content: the file contains a NUL byte",
            sources,
        ));
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(SourceFile::new(path.to_path_buf(), text)),
        Err(error) => Err(positioned(
            path,
            body,
            error.valid_up_to(),
            "invalid UTF-8: certgate reads UTF-8 text",
            sources,
        )),
    }
}

fn positioned(
    path: &Path,
    body: &[u8],
    offset: usize,
    message: &str,
    sources: &SourceMap,
) -> FileError {
    // Everything before `offset` is valid UTF-8, so lossy decoding keeps that offset in place.
    let text = String::from_utf8_lossy(body).into_owned();
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    let file = sources.add(SourceFile::new(path.to_path_buf(), text));
    FileError::at(path, Span::new(file, offset..end), message)
}

fn utf16_order(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => Some("little-endian"),
        [0xFE, 0xFF, ..] => Some("big-endian"),
        _ => None,
    }
}

fn decode_utf16_lossy(bytes: &[u8]) -> String {
    let little = bytes[0] == 0xFF;
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        if little {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn io_error(path: &Path, error: &std::io::Error) -> FileError {
    let reason = match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    };
    FileError::unplaced(path, format!("cannot read: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_bad_byte() {
        let sources = SourceMap::default();
        let error = decode(Path::new("x.tf"), b"ab\ncd\xFFe".to_vec(), &sources).unwrap_err();
        let span = error.span.unwrap();
        assert_eq!(span.start, 5);
        assert_eq!(sources.line_col(span).0.line, 2);
        assert!(error.message.contains("UTF-8"));
    }

    #[test]
    fn bom_is_stripped_and_nul_is_binary_and_utf16_is_named() {
        let sources = SourceMap::default();
        let file = decode(Path::new("x.tf"), b"\xEF\xBB\xBFabc".to_vec(), &sources).unwrap();
        assert_eq!(file.text(), "abc");
        let error = decode(Path::new("x.tf"), b"a\0b".to_vec(), &sources).unwrap_err();
        assert!(error.message.contains("NUL"));
        let error = decode(Path::new("x.tf"), vec![0xFF, 0xFE, b'a', 0], &sources).unwrap_err();
        assert!(error.message.contains("UTF-16"));
    }

    #[test]
    fn a_file_that_disappeared_is_a_read_error_naming_it() {
        let error = read_bytes(Path::new("gone/main.tf")).unwrap_err();
        assert_eq!(error.path, Path::new("gone/main.tf"));
        assert_eq!(error.message, "cannot read: no such file or directory");
    }

    #[test]
    fn utf16_candidates_are_found() {
        let text = "resource \"azurerm_linux_web_app\" \"a\" {}";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert!(sniff(FileKind::Terraform, &bytes));
    }
}
