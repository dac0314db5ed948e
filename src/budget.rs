//! The bounds on evaluating one scenario (an ARM template, a Bicep file with its modules and
//! parameters, a Terraform root module): steps, value size and instances, scoped so that one
//! expensive value never changes another value's verdict (SPEC.md, "Values and budgets").
//!
//! - Every value evaluated from outside the evaluator (a site's certificate field, its name, a
//!   `condition`, a `copy` count) gets its own slice of [`VALUE_STEPS`]: what one value spends
//!   cannot starve the next. Evaluations nested inside it (variables, parameters, module inputs)
//!   share its slice.
//! - All slices of a scenario together draw on [`TOTAL_STEPS`], so the work stays bounded even
//!   when every value is expensive; only values that need evaluation can hit it.
//! - A computed value larger than [`MAX_VALUE_BYTES`] or nested deeper than [`MAX_VALUE_DEPTH`]
//!   is unknown, and copying a value costs its size, so doubling chains end quickly.
//! - Walking a resource or module instance costs one of [`MAX_INSTANCES`]; past that, each
//!   declaration is walked once more with evaluation stopped, so its sites are still reported
//!   (literal values judged, the rest unresolved naming the limit) and never dropped.
//! - Each level of evaluation is entered with [`Budget::enter`], which charges a step and bounds
//!   the nesting as the evaluator configured it ([`Nesting`]: levels, and for Terraform the
//!   stack used), so cycles and long chains end with an unknown naming the limit.
//! - Literals are read without charging anything: their verdict depends on nothing else.
//!
//! A result cut short by a limit is never memoised (see [`Budget::cuts`]): a variable that one
//! value could not afford is computed again under the next value's own slice.

use std::cell::Cell;

use crate::limits::{
    MAX_ARM_NESTING, MAX_INSTANCES, MAX_VALUE_BYTES, MAX_VALUE_DEPTH, TOTAL_STEPS,
    VALUE_NODE_BYTES, VALUE_STEPS,
};
use crate::value::Val;

/// Which limit stopped an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The value's own slice of [`VALUE_STEPS`].
    Value,
    /// The scenario's [`TOTAL_STEPS`].
    Total,
    /// The scenario's [`MAX_INSTANCES`]: instances past it are not evaluated.
    Instances,
}

impl Limit {
    fn bit(self) -> u8 {
        match self {
            Limit::Value => 1,
            Limit::Total => 2,
            Limit::Instances => 4,
        }
    }

    /// Why an evaluation stopped at this limit, for an unresolved value's message.
    pub fn reason(self) -> String {
        match self {
            Limit::Value => format!(
                "evaluation stopped: this value needs more than {VALUE_STEPS} evaluation steps"
            ),
            Limit::Total => format!(
                "evaluation stopped: the values of this scenario together need more than \
                 {TOTAL_STEPS} evaluation steps"
            ),
            Limit::Instances => format!(
                "not evaluated: the scenario has more than {MAX_INSTANCES} resource and module \
                 instances"
            ),
        }
    }
}

/// The evaluation work left for one scenario, shared by every scope it creates.
#[derive(Debug)]
pub struct Budget {
    /// Steps left in the open slice.
    left: Cell<u64>,
    /// The limit that bounds the open slice.
    limit: Cell<Limit>,
    /// Whether a slice is open (an evaluation is under way).
    open: Cell<bool>,
    total_left: Cell<u64>,
    instances_left: Cell<u64>,
    /// Evaluation is off (instances past [`MAX_INSTANCES`]): every slice is empty.
    stopped: Cell<Option<Limit>>,
    /// How many times a limit cut an evaluation short.
    cuts: Cell<u64>,
    /// The limits reached so far, as [`Limit::bit`]s.
    reached: Cell<u8>,
    value_steps: u64,
    /// How deeply evaluations are nested right now.
    depth: Cell<usize>,
    nesting: Nesting,
    /// The stack address where the budget was made, when [`Nesting::stack`] is set.
    stack_base: usize,
}

/// How deeply one evaluator's evaluations may nest, and how it says so when they nest deeper.
#[derive(Debug, Clone, Copy)]
pub struct Nesting {
    /// Levels of [`Budget::enter`] at most.
    pub levels: usize,
    /// Bytes of stack one evaluation may use at most, measured from where the budget was made
    /// (create it on the evaluating thread, at the top of the evaluation), when levels alone
    /// cannot bound the stack.
    pub stack: Option<usize>,
    /// The unknown's reason past the limit, given [`Nesting::levels`].
    pub message: fn(usize) -> String,
}

impl Nesting {
    /// `levels` levels, worded for ARM and Bicep (variables and parameters).
    pub const fn evaluation(levels: usize) -> Nesting {
        Nesting {
            levels,
            stack: None,
            message: nests_deeper,
        }
    }
}

/// ARM's and Bicep's reason for an evaluation nested too deeply.
fn nests_deeper(levels: usize) -> String {
    format!(
        "evaluation nests deeper than {levels} levels (a long chain of variables or parameters?)"
    )
}

/// One level of nesting entered with [`Budget::enter`]; leaves it when dropped.
#[must_use = "the level is left as soon as the guard is dropped"]
pub struct Guard<'a>(&'a Budget);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0.depth.set(self.0.depth.get().saturating_sub(1));
    }
}

/// The address of a local: how deep the stack is here.
#[inline(never)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(VALUE_STEPS, TOTAL_STEPS, MAX_INSTANCES)
    }
}

impl Budget {
    /// A budget of `value_steps` per value, `total_steps` in all and `instances` instances.
    pub fn new(value_steps: u64, total_steps: u64, instances: u64) -> Self {
        Budget {
            left: Cell::new(0),
            limit: Cell::new(Limit::Value),
            open: Cell::new(false),
            total_left: Cell::new(total_steps),
            instances_left: Cell::new(instances),
            stopped: Cell::new(None),
            cuts: Cell::new(0),
            reached: Cell::new(0),
            value_steps,
            depth: Cell::new(0),
            nesting: Nesting::evaluation(MAX_ARM_NESTING),
            stack_base: 0,
        }
    }

    /// This budget with `nesting` bounding [`Budget::enter`] (by default, ARM's); with [`Nesting::stack`] set, the
    /// stack is measured from here.
    pub fn with_nesting(self, nesting: Nesting) -> Self {
        Budget {
            nesting,
            stack_base: stack_address(),
            ..self
        }
    }

    /// Enters one level of evaluation: charges a step and checks the nesting (and the stack).
    /// `Err` is the unknown's reason (the step limit's or [`Nesting::message`]), and a cut.
    pub fn enter(&self) -> Result<Guard<'_>, String> {
        if !self.charge(1) {
            return Err(self.reason());
        }
        let depth = self.depth.get() + 1;
        // Whichever way the stack grows, the distance from the base is what was used.
        let deep_stack = self
            .nesting
            .stack
            .is_some_and(|max| stack_address().abs_diff(self.stack_base) > max);
        if depth > self.nesting.levels || deep_stack {
            self.cut();
            return Err((self.nesting.message)(self.nesting.levels));
        }
        self.depth.set(depth);
        Ok(Guard(self))
    }

    /// Runs one evaluation in its own slice of steps; nested calls share the open slice.
    pub fn value<T>(&self, evaluate: impl FnOnce() -> T) -> T {
        if self.open.get() {
            return evaluate();
        }
        let total = self.total_left.get();
        let (size, limit) = match self.stopped.get() {
            Some(limit) => (0, limit),
            None if total < self.value_steps => (total, Limit::Total),
            None => (self.value_steps, Limit::Value),
        };
        self.left.set(size);
        self.limit.set(limit);
        self.open.set(true);
        let result = evaluate();
        self.open.set(false);
        let used = size - self.left.get();
        self.total_left.set(total.saturating_sub(used));
        result
    }

    /// Spends `n` steps of the open slice (of the scenario's total outside one); false once
    /// they are gone. The failure is recorded as a cut.
    pub fn charge(&self, n: u64) -> bool {
        if !self.open.get() {
            let total = self.total_left.get();
            if self.stopped.get().is_none() && total >= n {
                self.total_left.set(total - n);
                return true;
            }
            self.cut();
            self.reached.set(self.reached.get() | Limit::Total.bit());
            return false;
        }
        let left = self.left.get();
        if left >= n {
            self.left.set(left - n);
            return true;
        }
        self.left.set(0);
        self.cut();
        self.reached
            .set(self.reached.get() | self.limit.get().bit());
        false
    }

    /// Why the open slice ran out.
    pub fn reason(&self) -> String {
        self.limit.get().reason()
    }

    /// Records that a limit (nesting, size) cut an evaluation short.
    pub fn cut(&self) {
        self.cuts.set(self.cuts.get() + 1);
    }

    /// How many evaluations a limit cut short so far. A memo records a result only when this
    /// did not change while computing it: a cut result depends on where evaluation started.
    pub fn cuts(&self) -> u64 {
        self.cuts.get()
    }

    /// Spends one instance; false past [`MAX_INSTANCES`].
    pub fn instance(&self) -> bool {
        let left = self.instances_left.get();
        if left == 0 {
            self.reached
                .set(self.reached.get() | Limit::Instances.bit());
            return false;
        }
        self.instances_left.set(left - 1);
        true
    }

    /// Runs `walk` with evaluation off because of `limit`: literals are still read, any other
    /// value is unknown naming the limit.
    pub fn stopped<T>(&self, limit: Limit, walk: impl FnOnce() -> T) -> T {
        let before = self.stopped.replace(Some(limit));
        let result = walk();
        self.stopped.set(before);
        result
    }

    /// Whether `limit` stopped anything so far (for a notice on the scenario).
    pub fn reached(&self, limit: Limit) -> bool {
        self.reached.get() & limit.bit() != 0
    }

    /// The notice on a scenario (`what` is "template", "file", "module") whose evaluation hit
    /// a scenario-wide limit; a value's own limit is named in that value's finding instead.
    pub fn notice(&self, what: &str, scenario: Option<&str>) -> Option<String> {
        let with = scenario.map_or(String::new(), |s| format!(" with {s}"));
        let limit = if self.reached(Limit::Total) {
            format!("needed more than {TOTAL_STEPS} evaluation steps in all")
        } else if self.reached(Limit::Instances) {
            format!("has more than {MAX_INSTANCES} resource and module instances")
        } else {
            return None;
        };
        Some(format!(
            "this {what}{with} {limit}; values not evaluated by then are reported as unresolved \
             (literal values are still judged)"
        ))
    }

    /// Charges a computed value's size; `Err` with the reason when it is too large, nests too
    /// deeply or the slice cannot pay for it.
    pub fn take(&self, val: &Val) -> Result<(), String> {
        match weigh(val) {
            Ok(weight) if self.charge(weight) => Ok(()),
            Ok(_) => Err(self.reason()),
            Err(why) => {
                self.cut();
                Err(why)
            }
        }
    }
}

/// A value's size in steps (a step per node and per 16 bytes of text), or why it is too big:
/// larger than [`MAX_VALUE_BYTES`] (nodes counted as [`VALUE_NODE_BYTES`] each) or nested deeper than
/// [`MAX_VALUE_DEPTH`].
pub fn weigh(val: &Val) -> Result<u64, String> {
    let bytes = measure(val, MAX_VALUE_BYTES)?;
    if bytes > MAX_VALUE_BYTES {
        return Err(too_large());
    }
    Ok(bytes / VALUE_NODE_BYTES)
}

/// The steps a copy of `val` costs (for memoised values handed out again), however large.
pub fn weight(val: &Val) -> u64 {
    measure(val, u64::MAX).map_or(1, |bytes| bytes / VALUE_NODE_BYTES)
}

/// `val`'s size in bytes, counting stops once past `cap`; `Err` when it nests too deeply.
fn measure(val: &Val, cap: u64) -> Result<u64, String> {
    fn walk(val: &Val, depth: usize, bytes: &mut u64, cap: u64) -> Result<(), String> {
        if depth > MAX_VALUE_DEPTH {
            return Err(format!(
                "the value nests deeper than {MAX_VALUE_DEPTH} levels"
            ));
        }
        *bytes = bytes.saturating_add(VALUE_NODE_BYTES);
        match val {
            Val::String(s) => *bytes = bytes.saturating_add(s.len() as u64),
            Val::List(items) => {
                for item in items {
                    if *bytes > cap {
                        break;
                    }
                    walk(item, depth + 1, bytes, cap)?;
                }
            }
            Val::Object(members) => {
                for (key, value) in members {
                    if *bytes > cap {
                        break;
                    }
                    *bytes = bytes.saturating_add(key.len() as u64);
                    walk(value, depth + 1, bytes, cap)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    let mut bytes = 0;
    walk(val, 0, &mut bytes, cap)?;
    Ok(bytes)
}

/// The reason a value over [`MAX_VALUE_BYTES`] is unknown.
pub fn too_large() -> String {
    format!(
        "the value is larger than {} MiB, certgate's limit for one value",
        MAX_VALUE_BYTES >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_gets_its_own_slice() {
        let budget = Budget::new(10, 100, 5);
        assert!(!budget.value(|| budget.charge(11)));
        assert!(budget.reached(Limit::Value));
        // The next value starts afresh: the first one's overrun did not spill over.
        assert!(budget.value(|| budget.charge(10)));
        // Nested evaluations share the open slice.
        budget.value(|| {
            assert!(budget.charge(6));
            assert!(!budget.value(|| budget.charge(6)));
            assert_eq!(budget.reason(), Limit::Value.reason());
        });
    }

    #[test]
    fn the_total_bounds_every_slice_together() {
        let budget = Budget::new(10, 25, 5);
        for _ in 0..2 {
            assert!(budget.value(|| budget.charge(10)));
        }
        budget.value(|| {
            assert!(!budget.charge(6));
            assert_eq!(budget.reason(), Limit::Total.reason());
        });
        assert!(budget.reached(Limit::Total));
    }

    #[test]
    fn stopped_evaluation_still_reads_literals_for_free() {
        let budget = Budget::new(10, 100, 1);
        assert!(budget.instance());
        assert!(!budget.instance());
        budget.stopped(Limit::Instances, || {
            budget.value(|| {
                assert!(budget.charge(0));
                assert!(!budget.charge(1));
                assert_eq!(budget.reason(), Limit::Instances.reason());
            })
        });
        assert!(budget.value(|| budget.charge(1)));
    }

    #[test]
    fn cuts_count_every_limit_hit() {
        let budget = Budget::new(1, 100, 1);
        let before = budget.cuts();
        budget.value(|| budget.charge(2));
        assert_eq!(budget.cuts(), before + 1);
        let big = Val::String("x".repeat(MAX_VALUE_BYTES as usize + 1));
        assert_eq!(budget.take(&big), Err(too_large()));
        assert_eq!(budget.cuts(), before + 2);
    }

    #[test]
    fn enter_bounds_nesting_and_leaves_a_level_when_the_guard_drops() {
        let budget = Budget::new(100, 1000, 1).with_nesting(Nesting::evaluation(2));
        budget.value(|| {
            let first = budget.enter().expect("level 1");
            let second = budget.enter().expect("level 2");
            let before = budget.cuts();
            assert_eq!(
                budget.enter().err().as_deref(),
                Some(
                    "evaluation nests deeper than 2 levels (a long chain of variables or \
                     parameters?)"
                )
            );
            assert_eq!(budget.cuts(), before + 1);
            drop(second);
            assert!(budget.enter().is_ok());
            drop(first);
        });
    }

    #[test]
    fn enter_charges_a_step_and_fails_with_the_step_limit_reason() {
        let budget = Budget::new(1, 100, 1);
        budget.value(|| {
            let _level = budget.enter().expect("one step left");
            assert_eq!(budget.enter().err(), Some(Limit::Value.reason()));
        });
    }

    #[test]
    fn enter_stops_at_the_stack_limit_whatever_the_levels() {
        fn recurse(budget: &Budget, levels: usize) -> usize {
            let mut pad = [0u8; 512];
            std::hint::black_box(&mut pad);
            match budget.enter() {
                Ok(_level) => recurse(budget, levels + 1),
                Err(_) => levels,
            }
        }
        let nesting = Nesting {
            levels: usize::MAX,
            stack: Some(64 << 10),
            message: |_| "stack".to_string(),
        };
        let budget = Budget::default().with_nesting(nesting);
        let reached = budget.value(|| recurse(&budget, 0));
        // 64 KiB of 512-byte frames: at most 128 levels, however many `levels` allows.
        assert!(reached > 0 && reached <= 128, "{reached}");
    }

    #[test]
    fn weight_counts_text_and_nodes() {
        assert_eq!(weigh(&Val::Bool(true)), Ok(1));
        assert_eq!(weigh(&Val::String("x".repeat(160))), Ok(11));
        let list = Val::List(vec![Val::Null; 99]);
        assert_eq!(weigh(&list), Ok(100));
        let huge = Val::String("x".repeat(MAX_VALUE_BYTES as usize));
        assert_eq!(weigh(&huge), Err(too_large()));
        assert_eq!(weight(&huge), 1 + MAX_VALUE_BYTES / 16);
        let mut deep = Val::Null;
        for _ in 0..=MAX_VALUE_DEPTH {
            deep = Val::List(vec![deep]);
        }
        assert!(weigh(&deep).unwrap_err().contains("nests deeper"));
    }
}
