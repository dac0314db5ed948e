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
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("certgate-{i}"))
        .stack_size(WORKER_STACK_SIZE)
        .build()
        .ok()
});

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
