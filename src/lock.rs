//! Locking a mutex whose holder panicked.
//!
//! A panic while a lock is held (caught per file by the scan) must not turn every later use of
//! the same list or cache into a second panic: the data is still usable, so it is taken as is.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, taking the data over when a holder panicked.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The data of `mutex`, even when a holder panicked.
pub fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
