//! Whether an invocation is the first of its process (a cold start), as Powertools reports it.

use std::sync::atomic::{AtomicBool, Ordering};

/// `true` for the first [`ColdStart::take`], `false` for every later one; one per process (the
/// function's shared state owns it), safe to share between concurrent invocations.
#[derive(Debug)]
pub struct ColdStart(AtomicBool);

impl ColdStart {
    /// A process's flag, before its first invocation.
    pub fn new() -> Self {
        Self(AtomicBool::new(true))
    }

    /// Whether this is the first call. Exactly one of any number of concurrent first calls gets
    /// `true`.
    pub fn take(&self) -> bool {
        self.0.swap(false, Ordering::Relaxed)
    }
}

impl Default for ColdStart {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn only_the_first_take_is_cold() {
        let cold = ColdStart::new();
        assert!(cold.take());
        assert!(!cold.take());
        assert!(!cold.take());
    }

    #[test]
    fn one_of_many_concurrent_first_takes_is_cold() {
        let cold = Arc::new(ColdStart::new());
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let cold = Arc::clone(&cold);
                std::thread::spawn(move || cold.take())
            })
            .collect();
        let colds = handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|&c| c)
            .count();
        assert_eq!(colds, 1);
    }
}
