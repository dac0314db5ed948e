//! A map keyed by a path's bytes, for the per-directory caches a scan consults once per file.
//!
//! Hashing a `Path` walks its components, and the standard hasher (SipHash) is slow on short
//! keys: on a 10 000-file tree the two were a tenth of the scan. The bytes of a path hashed with
//! foldhash (randomly seeded per process, so crafted names cannot force collisions) cost a
//! fraction of that. Two spellings of one directory (`a//b`, `a/b`) are two keys: the caches
//! only ever hold answers that do not depend on the spelling.

use std::collections::HashMap;
use std::ffi::OsString;

/// A map from a path's bytes (`path.as_os_str()`) to `V`.
pub type PathMap<V> = HashMap<OsString, V, foldhash::fast::RandomState>;
