//! The binary's allocator: mimalloc, told to hand freed memory back to the system at once.
//!
//! A scan allocates and frees millions of small parse nodes and paths. glibc's malloc and free
//! were about a fifth of the instructions of `check` on the 10 000-file bench tree; mimalloc
//! takes about 15% off the whole scan (README › Performance). With its defaults it keeps
//! freed pages for a second (the length of a large scan) and commits its arena eagerly, which
//! put the peak RSS of `check --format json` at 100 000 files about 45 MiB above glibc's; with
//! the two options below it is the same as glibc's.

use std::ffi::{c_int, c_long};

// The option numbers of mimalloc 3 (`mi_option_e` in `mimalloc.h`, the version
// libmimalloc-sys builds by default; `Cargo.lock` pins it). A test checks them by the
// defaults of the options around them.
const ARENA_EAGER_COMMIT: c_int = 4;
const PURGE_DELAY: c_int = 15;

unsafe extern "C" {
    // Both are part of mimalloc's public C API, linked in by `libmimalloc-sys`.
    fn mi_option_set(option: c_int, value: c_long);
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
}

/// Purges freed pages without delay and commits arena memory only when used. Called first
/// thing in `main`; the options are read when memory is next purged or an arena reserved.
pub fn return_freed_memory_at_once() {
    // SAFETY: setting an option takes no pointers and is allowed at any time; mimalloc reads
    // each option atomically.
    unsafe {
        mi_option_set(PURGE_DELAY, 0);
        mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

/// On Linux the same, before `main`: the runtime allocates before `main` runs, and mimalloc
/// reserves (and, by default, commits) its first arena at the first allocation, so the arena
/// option must be set earlier. The dynamic loader runs `.init_array` entries before any Rust
/// code; mimalloc's own initialiser (priority 101) runs before this one.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SET_BEFORE_THE_FIRST_ALLOCATION: extern "C" fn() = {
    extern "C" fn set() {
        return_freed_memory_at_once();
    }
    set
};

#[cfg(test)]
mod tests {
    use super::*;

    fn get(option: c_int) -> c_long {
        // SAFETY: reading an option takes no pointers.
        unsafe { mi_option_get(option) }
    }

    #[test]
    fn both_options_are_set_before_main_and_the_numbers_are_mimallocs() {
        // The test binary has the same allocator and `.init_array` entry: both options are
        // already set (their defaults are 1000 ms and 2).
        #[cfg(target_os = "linux")]
        assert_eq!((get(PURGE_DELAY), get(ARENA_EAGER_COMMIT)), (0, 0));
        return_freed_memory_at_once();
        assert_eq!((get(PURGE_DELAY), get(ARENA_EAGER_COMMIT)), (0, 0));
        // The numbers sit where `mimalloc.h` puts them: the options after purge_delay are
        // use_numa_nodes (0), disallow_os_alloc (0), os_tag (100), max_errors (32) and
        // max_warnings (32); the one after arena_eager_commit is purge_decommits (1).
        let after_purge_delay: Vec<c_long> = (1..=5).map(|n| get(PURGE_DELAY + n)).collect();
        assert_eq!(after_purge_delay, [0, 0, 100, 32, 32]);
        assert_eq!(get(ARENA_EAGER_COMMIT + 1), 1);
    }
}
