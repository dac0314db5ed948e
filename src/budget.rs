//! The bounds on evaluating one scenario (an ARM template or a Bicep file with its modules and
//! parameters): a budget of steps shared by every scope it creates, and the size of computed
//! values. Each evaluator keeps its own nesting limit, sized to its stack use per level.
//!
//! Every expression node, JSON node and resource instance costs a step, and a computed or
//! memoised value costs its size, so variable blow-ups (`concat(v, v)` chains) and nested copy
//! loops end with a clear unknown instead of exhausting memory or time.

use std::cell::Cell;

use crate::value::Val;

/// Steps one scenario of one template may take before evaluation gives up.
pub const MAX_STEPS: u64 = 2_000_000;
/// How deeply a computed value may nest.
pub const MAX_VALUE_DEPTH: usize = 256;

/// The evaluation work left for one scenario, shared by every scope it creates.
#[derive(Debug)]
pub struct Budget {
    steps: Cell<u64>,
    /// How deeply evaluations are nested right now.
    pub nesting: Cell<usize>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(MAX_STEPS)
    }
}

impl Budget {
    pub fn new(steps: u64) -> Self {
        Budget {
            steps: Cell::new(steps),
            nesting: Cell::new(0),
        }
    }

    /// Spends `n` steps; false once the budget is gone.
    pub fn charge(&self, n: u64) -> bool {
        let left = self.steps.get();
        self.steps.set(left.saturating_sub(n));
        left >= n
    }

    pub fn exhausted(&self) -> bool {
        self.steps.get() == 0
    }
}

/// The reason every evaluation gives once the budget is spent.
pub fn exhausted_reason() -> String {
    format!("evaluation stopped: the scenario needs more than {MAX_STEPS} evaluation steps")
}

/// A value's size in steps, or `None` when it nests too deeply.
pub fn weigh(val: &Val) -> Option<u64> {
    fn walk(val: &Val, depth: usize) -> Option<u64> {
        if depth > MAX_VALUE_DEPTH {
            return None;
        }
        Some(match val {
            Val::String(s) => 1 + s.len() as u64 / 16,
            Val::List(items) => {
                let mut total = 1;
                for item in items {
                    total += walk(item, depth + 1)?;
                }
                total
            }
            Val::Object(members) => {
                let mut total = 1;
                for value in members.values() {
                    total += walk(value, depth + 1)?;
                }
                total
            }
            _ => 1,
        })
    }
    walk(val, 0)
}

/// The steps a copy of `val` costs (for memoised values handed out again).
pub fn weight(val: &Val) -> u64 {
    weigh(val).unwrap_or(1)
}
