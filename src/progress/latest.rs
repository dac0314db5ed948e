//! The latest run seen whole: its batches (cut by `rollout::batches` from its sites' exposure
//! and environment), its drift rows when the report has them, and its exceptions by owner and
//! expiry.

use serde_json::Value;

use super::input::{Exception, Run};
use crate::rollout::batches::{self, Batch};

/// What the page shows of the newest run.
#[derive(Debug, Clone, Default)]
pub struct Latest {
    /// The run's file and date, `None` without runs.
    pub source: Option<(String, crate::date::Date)>,
    pub batches: Vec<Batch>,
    /// `None`: the report has no `drift` (no `--deployed` export was given).
    pub drift: Option<Vec<Value>>,
    /// Sorted by owner (none last), expiry (none last), then site.
    pub exceptions: Vec<Exception>,
}

impl Latest {
    /// The view of `run`; `batch_size` as `certgate plan --batch-size`.
    pub fn of(run: Option<&Run>, batch_size: usize) -> Latest {
        let Some(run) = run else {
            return Latest::default();
        };
        let mut exceptions = run.exceptions.clone();
        exceptions.sort_by(|a, b| {
            let key = |e: &Exception| {
                (
                    e.owner.is_none(),
                    e.owner.clone(),
                    e.expires.is_none(),
                    e.expires,
                    e.site.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        Latest {
            source: Some((run.source.clone(), run.date)),
            batches: batches::cut(run.findings.clone(), batch_size),
            drift: run.drift.clone(),
            exceptions,
        }
    }
}
