//! The file-system property test: generated trees with links in and out of the project root,
//! FIFOs, device links, link loops, non-UTF-8 names and a file changed or removed between the
//! scan and the fix (see `certgate::harness::tree` for the invariants). The same check is the
//! `tree` fuzz target; here a fixed set of seeds runs in `cargo test`.
#![cfg(unix)]

use std::sync::mpsc;
use std::time::Duration;

/// How many generated trees `cargo test` checks.
const CASES: u64 = 48;

/// A deterministic byte stream per seed (xorshift64*), so a failure names its seed.
fn bytes(seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..96)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn generated_trees_never_read_or_write_outside_the_root_and_never_hang() {
    for seed in 0..CASES {
        let input = bytes(seed);
        let (send, receive) = mpsc::channel();
        let worker = {
            let input = input.clone();
            std::thread::spawn(move || send.send(certgate::harness::tree(&input)))
        };
        // Not a speed check: a scan that opened a FIFO would block forever.
        match receive.recv_timeout(Duration::from_secs(120)) {
            Ok(Ok(())) => {}
            Ok(Err(why)) => panic!("seed {seed} ({input:?}): {why}"),
            Err(_) => panic!("seed {seed} ({input:?}): the scan hung"),
        }
        let _ = worker.join().unwrap();
    }
}
