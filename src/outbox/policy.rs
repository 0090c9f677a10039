//! The outbox's retry policy as a plain state machine, with no browser in sight so it is
//! tested natively.
//!
//! An item starts `Waiting`. A sender claims it (`Sending`), and the answer moves it on:
//! delivered, rejected (the server said no: the patient must look at it), or back to
//! `Waiting` with an exponentially growing, jittered delay. An item found `Sending` at start-up
//! was interrupted (tab closed mid-send) and is retried with the same idempotency key, so the
//! server still records it once.

use serde::{Deserialize, Serialize};

/// Where an item stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Not yet sent, or to be tried again from `next_attempt_at` (ms since the epoch).
    Waiting {
        /// The earliest time of the next attempt.
        next_attempt_at: f64,
    },
    /// A sender is working on it since `since`.
    Sending {
        /// When the attempt began.
        since: f64,
    },
    /// The server refused it; it stays until the patient retries or cancels.
    Rejected,
    /// The server has it.
    Delivered {
        /// When the server accepted it.
        at: f64,
    },
}

/// The stored form of a [`Delivery`]: a state name and its one time. Stored flat because a
/// data-carrying enum costs far more bundle bytes to (de)serialise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// See [`Delivery::Waiting`]; the time is the next attempt.
    Waiting,
    /// See [`Delivery::Sending`]; the time is when it began.
    Sending,
    /// See [`Delivery::Rejected`]; the time is unused.
    Rejected,
    /// See [`Delivery::Delivered`]; the time is the delivery.
    Delivered,
}

impl Delivery {
    /// The stored form.
    pub fn to_parts(&self) -> (State, f64) {
        match *self {
            Delivery::Waiting { next_attempt_at } => (State::Waiting, next_attempt_at),
            Delivery::Sending { since } => (State::Sending, since),
            Delivery::Rejected => (State::Rejected, 0.0),
            Delivery::Delivered { at } => (State::Delivered, at),
        }
    }

    /// Back from the stored form.
    pub fn from_parts(state: State, at: f64) -> Delivery {
        match state {
            State::Waiting => Delivery::Waiting {
                next_attempt_at: at,
            },
            State::Sending => Delivery::Sending { since: at },
            State::Rejected => Delivery::Rejected,
            State::Delivered => Delivery::Delivered { at },
        }
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The server accepted the item (or had already, and replayed its answer).
    Accepted,
    /// No answer, or one worth waiting out (offline, timeout, 409 in flight, 429, 5xx).
    Retryable,
    /// A definite refusal (a 4xx other than the retryable ones).
    Rejected,
}

/// How long to wait between attempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The delay after the first failure, in milliseconds.
    pub base_ms: f64,
    /// The longest delay, in milliseconds.
    pub max_ms: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base_ms: 2_000.0,
            max_ms: 15.0 * 60_000.0,
        }
    }
}

impl Backoff {
    /// The delay after `attempts` failed attempts (1 = the first failure), scaled by `jitter`
    /// in `[0, 1)` to between half and all of the exponential delay, so that many clients
    /// coming back online at once do not retry in lockstep.
    pub fn delay(self, attempts: u32, jitter: f64) -> f64 {
        let exponent = attempts.saturating_sub(1).min(30);
        let full = (self.base_ms * f64::from(1u32 << exponent.min(20))).min(self.max_ms);
        full * (0.5 + jitter.clamp(0.0, 1.0) / 2.0)
    }
}

/// A sender claims a waiting item; returns `None` when it is not due yet or not waiting.
pub fn claim(delivery: &Delivery, now: f64) -> Option<Delivery> {
    match delivery {
        Delivery::Waiting { next_attempt_at } if *next_attempt_at <= now => {
            Some(Delivery::Sending { since: now })
        }
        _ => None,
    }
}

/// The state after an attempt, given how many attempts have now been made.
pub fn settle(
    outcome: Outcome,
    attempts: u32,
    now: f64,
    backoff: Backoff,
    jitter: f64,
) -> Delivery {
    match outcome {
        Outcome::Accepted => Delivery::Delivered { at: now },
        Outcome::Rejected => Delivery::Rejected,
        Outcome::Retryable => Delivery::Waiting {
            next_attempt_at: now + backoff.delay(attempts, jitter),
        },
    }
}

/// At start-up, an item left `Sending` by a closed tab becomes due again at once. A send
/// that is still running in another tab holds the outbox lock, so this only runs when none is.
pub fn recover(delivery: &Delivery, now: f64) -> Option<Delivery> {
    matches!(delivery, Delivery::Sending { .. }).then_some(Delivery::Waiting {
        next_attempt_at: now,
    })
}

/// The patient asked to try again now (also for a rejected item, after they fixed the cause).
pub fn retry_now(delivery: &Delivery, now: f64) -> Option<Delivery> {
    match delivery {
        Delivery::Waiting { .. } | Delivery::Rejected => Some(Delivery::Waiting {
            next_attempt_at: now,
        }),
        Delivery::Sending { .. } | Delivery::Delivered { .. } => None,
    }
}

/// Whether an item may be cancelled: anything not already sent or being sent.
pub fn can_cancel(delivery: &Delivery) -> bool {
    matches!(delivery, Delivery::Waiting { .. } | Delivery::Rejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_000_000.0;

    #[test]
    fn a_new_item_is_claimed_at_once() {
        let waiting = Delivery::Waiting {
            next_attempt_at: NOW,
        };
        assert_eq!(claim(&waiting, NOW), Some(Delivery::Sending { since: NOW }));
    }

    #[test]
    fn an_item_is_not_claimed_before_its_next_attempt_or_twice() {
        assert_eq!(
            claim(
                &Delivery::Waiting {
                    next_attempt_at: NOW + 1.0
                },
                NOW
            ),
            None
        );
        assert_eq!(claim(&Delivery::Sending { since: NOW }, NOW), None);
        assert_eq!(claim(&Delivery::Rejected, NOW), None);
        assert_eq!(claim(&Delivery::Delivered { at: NOW }, NOW), None);
    }

    #[test]
    fn delays_double_and_stop_growing_at_the_maximum() {
        let backoff = Backoff {
            base_ms: 1_000.0,
            max_ms: 10_000.0,
        };
        let full = |attempts| backoff.delay(attempts, 1.0);
        assert_eq!(
            [full(1), full(2), full(3), full(4), full(5)],
            [1_000.0, 2_000.0, 4_000.0, 8_000.0, 10_000.0]
        );
        assert_eq!(full(1_000), 10_000.0);
    }

    #[test]
    fn jitter_keeps_the_delay_between_half_and_all_of_it() {
        let backoff = Backoff {
            base_ms: 1_000.0,
            max_ms: 60_000.0,
        };
        assert_eq!(backoff.delay(3, 0.0), 2_000.0);
        assert_eq!(backoff.delay(3, 0.5), 3_000.0);
        assert_eq!(backoff.delay(3, 7.0), 4_000.0);
    }

    #[test]
    fn a_retryable_failure_waits_and_an_acceptance_delivers() {
        let backoff = Backoff::default();
        assert_eq!(
            settle(Outcome::Retryable, 1, NOW, backoff, 1.0),
            Delivery::Waiting {
                next_attempt_at: NOW + backoff.base_ms
            }
        );
        assert_eq!(
            settle(Outcome::Accepted, 4, NOW, backoff, 0.3),
            Delivery::Delivered { at: NOW }
        );
        assert_eq!(
            settle(Outcome::Rejected, 1, NOW, backoff, 0.3),
            Delivery::Rejected
        );
    }

    #[test]
    fn an_item_interrupted_mid_send_is_due_again_at_start_up() {
        assert_eq!(
            recover(&Delivery::Sending { since: 1.0 }, NOW),
            Some(Delivery::Waiting {
                next_attempt_at: NOW
            })
        );
        assert_eq!(
            recover(
                &Delivery::Waiting {
                    next_attempt_at: 5.0
                },
                NOW
            ),
            None
        );
    }

    #[test]
    fn retry_now_makes_waiting_and_rejected_items_due_but_not_sent_ones() {
        let due = Some(Delivery::Waiting {
            next_attempt_at: NOW,
        });
        assert_eq!(
            retry_now(
                &Delivery::Waiting {
                    next_attempt_at: NOW + 9e9
                },
                NOW
            ),
            due
        );
        assert_eq!(retry_now(&Delivery::Rejected, NOW), due);
        assert_eq!(retry_now(&Delivery::Delivered { at: 1.0 }, NOW), None);
        assert_eq!(retry_now(&Delivery::Sending { since: 1.0 }, NOW), None);
    }

    #[test]
    fn every_delivery_survives_its_stored_form() {
        for delivery in [
            Delivery::Waiting {
                next_attempt_at: 5.0,
            },
            Delivery::Sending { since: 6.0 },
            Delivery::Rejected,
            Delivery::Delivered { at: 7.0 },
        ] {
            let (state, at) = delivery.to_parts();
            assert_eq!(Delivery::from_parts(state, at), delivery);
        }
    }

    #[test]
    fn only_unsent_items_can_be_cancelled() {
        assert!(can_cancel(&Delivery::Waiting {
            next_attempt_at: NOW
        }));
        assert!(can_cancel(&Delivery::Rejected));
        assert!(!can_cancel(&Delivery::Sending { since: NOW }));
        assert!(!can_cancel(&Delivery::Delivered { at: NOW }));
    }
}
