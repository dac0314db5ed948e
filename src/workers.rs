//! The thread pool every scan runs on: rayon's, with stacks deep enough for the recursive parsers.
//!
//! hcl-edit parses recursively and accepts 64 nested levels; in a debug build 64 levels of
//! `[for x in [for x in …` take about 2.1 MiB of stack, more than the 2 MiB rayon's (and every
//! spawned) thread gets by default, and a Terraform evaluation may already be 1 MiB deep when it
//! parses a template. The scan's workers get [`WORKER_STACK_SIZE`] instead. That is address space,
//! not memory: a page is only touched when a parse really goes that deep.

use std::sync::LazyLock;

use crate::limits::WORKER_STACK_SIZE;

/// `None` when the system refuses the threads; the scan then runs on rayon's global pool.
static POOL: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("certgate-{i}"))
        .stack_size(WORKER_STACK_SIZE)
        .build()
        .ok()?;
    limit_arenas(pool.current_num_threads());
    Some(pool)
});

/// Caps glibc's malloc arenas at one per worker. By default each thread that meets contention
/// gets its own arena (up to eight per core), and the main thread's arena sits beside the
/// workers'; the memory a scan frees in one arena is not reused by the others, so on a 100 000
/// file tree the peak RSS of `check --format json` was about 30 MiB higher than with one arena
/// per worker, and no faster. Fewer arenas than workers would make the parsers wait on locks.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_arenas(workers: usize) {
    let arenas = libc::c_int::try_from(workers.max(1)).unwrap_or(libc::c_int::MAX);
    // SAFETY: `mallopt` only sets an allocator parameter; it takes no pointers and may be called
    // at any time. A refusal (return value 0) leaves glibc's default, which is correct too.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

/// Other allocators size their arenas themselves.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_arenas(_workers: usize) {}

/// Runs `work` on the scan pool: its parallel iterators and joins use the pool's workers. A
/// caller already on a rayon pool keeps it (a test pinning the thread count does that); its
/// workers then need [`WORKER_STACK_SIZE`] for the deepest inputs too.
pub fn install<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match &*POOL {
        Some(pool) if rayon::current_thread_index().is_none() => pool.install(work),
        _ => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_runs_on_a_worker_with_the_large_stack() {
        let name = install(|| std::thread::current().name().map(str::to_string));
        assert!(name.is_some_and(|n| n.starts_with("certgate-")));
        // Nested parallel work stays on the pool.
        let names: Vec<Option<String>> = install(|| {
            use rayon::prelude::*;
            (0..4)
                .into_par_iter()
                .map(|_| std::thread::current().name().map(str::to_string))
                .collect()
        });
        assert!(
            names
                .iter()
                .all(|n| n.as_deref().is_some_and(|n| n.starts_with("certgate-")))
        );
    }

    #[test]
    fn a_caller_on_its_own_pool_keeps_it() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "caller".to_string())
            .build()
            .unwrap();
        let name = pool.install(|| install(|| std::thread::current().name().map(str::to_string)));
        assert_eq!(name.as_deref(), Some("caller"));
    }
}
