//! When to try a request again, and how long to wait first.
//!
//! Naam asks clients to slow down with status 713, and networks fail now and then. Waiting a
//! little longer after each failure (exponential backoff), with some randomness so that many
//! clients do not retry in step (jitter), gets most requests through without hammering the
//! service. Attempts and total time are bounded, so a job never hangs on one request. The
//! decision is a pure function of its inputs, so tests can check it without waiting.

use std::time::Duration;

/// How often and how patiently the client retries a request that failed in a transient way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts made for one request, counting the first (1 means never retry).
    pub max_attempts: u32,
    /// The wait before the first retry; each later wait doubles, up to `max_delay`.
    pub initial_delay: Duration,
    /// The longest wait between two attempts chosen by backoff. A longer `Retry-After` from
    /// Naam is still honoured, within `max_total`.
    pub max_delay: Duration,
    /// The most time spent on one request, attempts and waits together. A retry whose wait
    /// would cross this line is not made; the last error is returned instead.
    pub max_total: Duration,
    /// Whether to randomise each backoff wait between half and all of its value.
    pub has_jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_mins(2),
            has_jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    #[must_use]
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff wait before retry number `retry_number` (1 for the first retry).
    ///
    /// `jitter_unit` is a random number in `[0, 1)`; with jitter on, the wait is
    /// `half + half * jitter_unit` of the exponential value.
    #[must_use]
    pub fn backoff(&self, retry_number: u32, jitter_unit: f64) -> Duration {
        let doublings = retry_number.saturating_sub(1).min(31);
        let exponential = self
            .initial_delay
            .saturating_mul(1_u32 << doublings)
            .min(self.max_delay);
        if !self.has_jitter {
            return exponential;
        }
        let half = exponential / 2;
        half + half.mul_f64(jitter_unit.clamp(0.0, 1.0))
    }

    /// Decides whether to try again after `attempts_made` attempts, `elapsed` time since the
    /// first one started, and an optional `Retry-After` from Naam; returns the wait, or `None`
    /// to give up.
    ///
    /// A `Retry-After` replaces the backoff wait (Naam knows best when it will be ready), but
    /// never stretches the total beyond `max_total`: if Naam asks for a longer wait than is
    /// left, the client gives up at once rather than sleeping in vain.
    #[must_use]
    pub fn delay_before_retry(
        &self,
        attempts_made: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
        jitter_unit: f64,
    ) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let delay = retry_after.unwrap_or_else(|| self.backoff(attempts_made, jitter_unit));
        let is_within_budget = elapsed
            .checked_add(delay)
            .is_some_and(|total| total <= self.max_total);
        is_within_budget.then_some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            max_total: Duration::from_secs(10),
            has_jitter: false,
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = policy();
        let waits: Vec<u128> = (1..=4)
            .map(|retry| policy.backoff(retry, 0.0).as_millis())
            .collect();
        assert_eq!(waits, vec![100, 200, 350, 350]);
        assert_eq!(policy.backoff(u32::MAX, 0.0), Duration::from_millis(350));
    }

    #[test]
    fn jitter_stays_between_half_and_whole() {
        let policy = RetryPolicy {
            has_jitter: true,
            ..policy()
        };
        assert_eq!(policy.backoff(2, 0.0), Duration::from_millis(100));
        assert_eq!(policy.backoff(2, 0.5), Duration::from_millis(150));
        assert!(policy.backoff(2, 0.999_999) <= Duration::from_millis(200));
        assert_eq!(policy.backoff(2, 7.0), Duration::from_millis(200));
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = policy();
        assert_eq!(
            policy.delay_before_retry(1, None, Duration::ZERO, 0.0),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            policy.delay_before_retry(3, None, Duration::ZERO, 0.0),
            Some(Duration::from_millis(350))
        );
        assert_eq!(
            policy.delay_before_retry(4, None, Duration::ZERO, 0.0),
            None
        );
        assert_eq!(
            RetryPolicy::no_retries().delay_before_retry(1, None, Duration::ZERO, 0.0),
            None
        );
    }

    #[test]
    fn retry_after_replaces_the_backoff() {
        let policy = policy();
        assert_eq!(
            policy.delay_before_retry(1, Some(Duration::from_secs(2)), Duration::ZERO, 0.0),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.delay_before_retry(2, Some(Duration::ZERO), Duration::ZERO, 0.0),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn total_time_is_bounded_even_when_naam_asks_for_more() {
        let policy = policy();
        assert_eq!(
            policy.delay_before_retry(1, Some(Duration::from_secs(11)), Duration::ZERO, 0.0),
            None
        );
        assert_eq!(
            policy.delay_before_retry(1, None, Duration::from_millis(9_950), 0.0),
            None
        );
        assert_eq!(
            policy.delay_before_retry(1, None, Duration::from_millis(9_900), 0.0),
            Some(Duration::from_millis(100))
        );
    }
}
