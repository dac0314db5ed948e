//! The rollout facts of every judged site: whether it can be reached from the internet
//! ([`exposure`]) and which environment it is deployed to ([`environment`]), each with a
//! short reason and the place it comes from. Decided once, here, from what the front ends put
//! in [`crate::model::RolloutInputs`] and where the site is ([`Place`]).

mod environment;
mod exposure;
mod place;
mod words;

pub use environment::environment;
pub use exposure::exposure;
pub use place::Places;

#[cfg(test)]
pub(crate) mod testing;
