//! Which scanned module directories are roots: those no other scanned (or reached) module
//! calls through a local `source`. A directory that another one calls is judged only through
//! its callers, with the inputs they pass.

use crate::path_map::{PathHashMap, PathHashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use super::project::Project;
use crate::paths::normalize;

/// Which of `dirs` are roots: those no other scanned (or reached) module calls through a local
/// source. Directories only reachable through a call cycle are roots too, so that the cycle is
/// reported rather than the modules silently skipped.
pub fn roots(project: &Project, dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut children: PathHashMap<PathBuf, Vec<PathBuf>> = PathHashMap::default();
    let mut frontier: Vec<PathBuf> = dirs.iter().map(|d| normalize(d)).collect();
    let mut seen: PathHashSet<PathBuf> = frontier.iter().cloned().collect();
    while !frontier.is_empty() {
        let found: Vec<(PathBuf, Vec<PathBuf>)> = frontier
            .par_iter()
            .map(|dir| (dir.clone(), project.local_children(dir)))
            .collect();
        frontier = Vec::new();
        for (dir, kids) in found {
            for kid in &kids {
                if seen.insert(kid.clone()) {
                    frontier.push(kid.clone());
                }
            }
            children.insert(dir, kids);
        }
    }
    let called: PathHashSet<&PathBuf> = children.values().flatten().collect();
    let mut sorted: Vec<PathBuf> = dirs.iter().map(|d| normalize(d)).collect();
    sorted.sort();
    sorted.dedup();
    let mut roots: Vec<PathBuf> = sorted
        .iter()
        .filter(|d| !called.contains(d))
        .cloned()
        .collect();
    let mut reached: PathHashSet<PathBuf> = PathHashSet::default();
    let reach = |from: &PathBuf, reached: &mut PathHashSet<PathBuf>| {
        let mut stack = vec![from.clone()];
        while let Some(dir) = stack.pop() {
            if reached.insert(dir.clone()) {
                stack.extend(children.get(&dir).into_iter().flatten().cloned());
            }
        }
    };
    for root in &roots {
        reach(root, &mut reached);
    }
    for dir in &sorted {
        if !reached.contains(dir) {
            roots.push(dir.clone());
            reach(dir, &mut reached);
        }
    }
    roots
}
