//! The authorizer's answers cached per token for the authorizer's TTL, as API Gateway caches
//! them; bounded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most tokens the cache holds; when full, expired entries go, then all of them.
pub(crate) const CACHE_CAPACITY: usize = 10_000;

/// Answers by token, each kept `ttl_seconds` (0: nothing is kept).
#[derive(Debug)]
pub(crate) struct AnswerCache<T> {
    ttl_seconds: u64,
    entries: Mutex<HashMap<String, (Instant, Arc<T>)>>,
}

impl<T> AnswerCache<T> {
    pub(crate) fn new(ttl_seconds: u64) -> Self {
        Self {
            ttl_seconds,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The answer for exactly this token, if cached and not expired.
    pub(crate) fn get(&self, token: &str) -> Option<Arc<T>> {
        let entries = self.entries.lock().ok()?;
        let (expires, answer) = entries.get(token)?;
        (Instant::now() < *expires).then(|| Arc::clone(answer))
    }

    pub(crate) fn put(&self, token: &str, answer: &Arc<T>) {
        if self.ttl_seconds == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let now = Instant::now();
        if entries.len() >= CACHE_CAPACITY {
            entries.retain(|_, (expires, _)| *expires > now);
            if entries.len() >= CACHE_CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            token.to_owned(),
            (
                now + Duration::from_secs(self.ttl_seconds),
                Arc::clone(answer),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_cached_per_token_unless_the_ttl_is_zero_and_the_cache_stays_bounded() {
        let off = AnswerCache::new(0);
        off.put("a", &Arc::new(()));
        assert!(
            off.get("a").is_none(),
            "ReauthorizeEvery 0 disables the cache"
        );

        let on = AnswerCache::new(300);
        on.put("a", &Arc::new(()));
        assert!(on.get("a").is_some());
        assert!(on.get("b").is_none(), "keyed by the exact token");
        for i in 0..CACHE_CAPACITY {
            on.put(&format!("t{i}"), &Arc::new(()));
        }
        let size = on.entries.lock().unwrap().len();
        assert!(size <= CACHE_CAPACITY, "{size}");
    }

    #[test]
    fn an_expired_answer_is_not_used() {
        let on = AnswerCache::new(300);
        on.entries.lock().unwrap().insert(
            "a".to_owned(),
            (Instant::now() - Duration::from_millis(1), Arc::new(())),
        );
        assert!(on.get("a").is_none());
    }
}
