//! The server's sense of time, injected so tests and the delivery simulation run in virtual
//! time: every timestamp the server writes (idempotency keys, appointment requests, their
//! retention) comes from the [`Clock`] in [`crate::AppOptions::clock`].

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Now, in Unix milliseconds: the system's clock, or a manual one tests move by hand.
#[derive(Debug, Clone)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    Manual(AtomicI64),
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system's wall clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock that stands at `start_ms` until [`Clock::advance`] or [`Clock::set`] moves it.
    pub fn manual(start_ms: i64) -> Clock {
        Clock(Arc::new(Source::Manual(AtomicI64::new(start_ms))))
    }

    /// Now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match &*self.0 {
            Source::System => crate::db::now_ms(),
            Source::Manual(now) => now.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock forward; the system clock cannot be moved, so this panics on it.
    pub fn advance(&self, by: Duration) {
        match &*self.0 {
            Source::System => panic!("the system clock cannot be advanced"),
            Source::Manual(now) => {
                now.fetch_add(crate::db::ms(by), Ordering::SeqCst);
            }
        }
    }

    /// Sets a manual clock; panics on the system clock.
    pub fn set(&self, ms: i64) {
        match &*self.0 {
            Source::System => panic!("the system clock cannot be set"),
            Source::Manual(now) => now.store(ms, Ordering::SeqCst),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let clock = Clock::manual(1_000);
        let shared = clock.clone();
        assert_eq!(clock.now_ms(), 1_000);
        shared.advance(Duration::from_secs(2));
        assert_eq!(clock.now_ms(), 3_000);
        clock.set(10);
        assert_eq!(shared.now_ms(), 10);
    }

    #[test]
    fn the_system_clock_is_near_now() {
        let now = Clock::system().now_ms();
        assert!((now - crate::db::now_ms()).abs() < 5_000);
    }
}
