//! Slowing down password guessing.
//!
//! Per account: after [`SignInPolicy::delay_after`] failures in a row, each further attempt
//! must wait a doubling delay; after [`SignInPolicy::lock_after`] the account is locked for
//! [`SignInPolicy::lock_for`]. Known accounts keep their count in the database. Unknown emails
//! get the very same treatment from an in-memory table, so the answers never tell whether an
//! account exists. On top of that, each client IP gets a fixed number of attempts a minute.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use crate::db;

/// How sign-in attempts are limited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInPolicy {
    /// Failures in a row before attempts are delayed.
    pub delay_after: i64,
    /// The first delay; each further failure doubles it.
    pub first_delay: Duration,
    /// Failures in a row that lock the account.
    pub lock_after: i64,
    /// How long a lock lasts.
    pub lock_for: Duration,
    /// Sign-in attempts one IP address may make per minute.
    pub attempts_per_ip_per_minute: u32,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        SignInPolicy {
            delay_after: 5,
            first_delay: Duration::from_secs(1),
            lock_after: 10,
            lock_for: Duration::from_secs(15 * 60),
            attempts_per_ip_per_minute: 30,
        }
    }
}

impl SignInPolicy {
    /// Until when (Unix ms) the next attempt must wait after `failures` failures in a row, or
    /// `None` if it may come at once.
    pub fn blocked_until(&self, failures: i64, now: i64) -> Option<i64> {
        if failures >= self.lock_after {
            Some(now + db::ms(self.lock_for))
        } else if failures >= self.delay_after {
            let doublings = u32::try_from(failures - self.delay_after)
                .unwrap_or(u32::MAX)
                .min(20);
            Some(now + db::ms(self.first_delay).saturating_mul(1 << doublings))
        } else {
            None
        }
    }

    /// Whether `failures` is the failure that locks the account.
    pub fn locks_at(&self, failures: i64) -> bool {
        failures == self.lock_after
    }
}

/// Failures in a row for one email without an account.
#[derive(Debug, Clone, Copy, Default)]
struct Failures {
    count: i64,
    blocked_until: Option<i64>,
}

/// Attempts from one IP in the current minute.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: i64,
    attempts: u32,
}

/// Bounds the memory the tables may use; past it, stale entries are dropped.
const MAX_ENTRIES: usize = 10_000;

/// The in-memory part of sign-in throttling.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    policy: SignInPolicy,
    unknown: Mutex<HashMap<String, Failures>>,
    per_ip: Mutex<HashMap<IpAddr, Window>>,
}

impl SignInThrottle {
    /// A throttle applying `policy`.
    pub fn new(policy: SignInPolicy) -> SignInThrottle {
        SignInThrottle {
            policy,
            ..SignInThrottle::default()
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &SignInPolicy {
        &self.policy
    }

    /// Counts an attempt from `ip`; `Err` with the time to wait when it is over its limit.
    pub fn attempt_from(&self, ip: Option<IpAddr>, now: i64) -> Result<(), Duration> {
        let Some(ip) = ip else { return Ok(()) };
        let mut table = self
            .per_ip
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if table.len() >= MAX_ENTRIES {
            table.retain(|_, window| now - window.started < 60_000);
        }
        let window = table.entry(ip).or_insert(Window {
            started: now,
            attempts: 0,
        });
        if now - window.started >= 60_000 {
            *window = Window {
                started: now,
                attempts: 0,
            };
        }
        window.attempts += 1;
        if window.attempts > self.policy.attempts_per_ip_per_minute {
            Err(Duration::from_millis(
                (window.started + 60_000 - now).max(0) as u64,
            ))
        } else {
            Ok(())
        }
    }

    /// Until when an email without an account must wait, if it must.
    pub fn unknown_blocked_until(&self, email: &str, now: i64) -> Option<i64> {
        let table = self
            .unknown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        table
            .get(email)
            .and_then(|f| f.blocked_until)
            .filter(|until| *until > now)
    }

    /// Records a failure for an email without an account; returns the new count in a row.
    pub fn unknown_failed(&self, email: &str, now: i64) -> i64 {
        let mut table = self
            .unknown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if table.len() >= MAX_ENTRIES {
            table.retain(|_, f| f.blocked_until.is_some_and(|until| until > now));
            if table.len() >= MAX_ENTRIES {
                table.clear();
            }
        }
        let failures = table.entry(email.to_owned()).or_default();
        failures.count += 1;
        failures.blocked_until = self.policy.blocked_until(failures.count, now);
        failures.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_five_failures_double_and_become_a_lock_at_ten() {
        let policy = SignInPolicy::default();
        assert_eq!(policy.blocked_until(4, 0), None);
        assert_eq!(policy.blocked_until(5, 0), Some(1_000));
        assert_eq!(policy.blocked_until(6, 0), Some(2_000));
        assert_eq!(policy.blocked_until(9, 0), Some(16_000));
        assert_eq!(policy.blocked_until(10, 0), Some(15 * 60 * 1000));
        assert!(policy.locks_at(10) && !policy.locks_at(11));
    }

    #[test]
    fn unknown_emails_are_throttled_like_accounts() {
        let throttle = SignInThrottle::new(SignInPolicy::default());
        for _ in 0..4 {
            throttle.unknown_failed("ghost@clinic.example", 0);
        }
        assert_eq!(
            throttle.unknown_blocked_until("ghost@clinic.example", 0),
            None
        );
        assert_eq!(throttle.unknown_failed("ghost@clinic.example", 0), 5);
        assert_eq!(
            throttle.unknown_blocked_until("ghost@clinic.example", 500),
            Some(1_000)
        );
        assert_eq!(
            throttle.unknown_blocked_until("ghost@clinic.example", 1_000),
            None
        );
    }

    #[test]
    fn an_ip_over_its_limit_waits_for_the_next_minute() {
        let policy = SignInPolicy {
            attempts_per_ip_per_minute: 2,
            ..SignInPolicy::default()
        };
        let throttle = SignInThrottle::new(policy);
        let ip = Some(IpAddr::from([127, 0, 0, 1]));
        assert!(throttle.attempt_from(ip, 0).is_ok());
        assert!(throttle.attempt_from(ip, 10).is_ok());
        assert_eq!(
            throttle.attempt_from(ip, 20_000),
            Err(Duration::from_secs(40))
        );
        assert!(throttle.attempt_from(ip, 60_000).is_ok());
        assert!(throttle.attempt_from(None, 0).is_ok());
    }
}
