//! The widget outbox's retry policy as a plain state machine, with no browser in sight: the
//! widget runs it in IndexedDB, and the server's delivery simulation drives the same code
//! against the real request handler in virtual time.
//!
//! An item starts `Waiting`. A sender claims it (`Sending`), and the answer moves it on:
//! delivered, rejected (the server said no: the patient must look at it), or back to
//! `Waiting` with an exponentially growing, jittered delay (never sooner than the server's
//! `Retry-After`). An item found `Sending` at start-up was interrupted (tab closed mid-send)
//! and is retried with the same idempotency key, so the server still records it once. After
//! [`HORIZON_MS`] of failed attempts the outbox stops retrying by itself (`Paused`) and asks
//! the patient; the server keeps keys longer than that, and requests carry ids that are
//! unique forever, so a resend after any delay is still recorded once.

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
    /// Retried for longer than [`HORIZON_MS`] without an answer: waits for the patient.
    Paused,
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
    /// See [`Delivery::Paused`]; the time is unused.
    Paused,
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
            Delivery::Paused => (State::Paused, 0.0),
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
            State::Paused => Delivery::Paused,
            State::Delivered => Delivery::Delivered { at },
        }
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The server accepted the item (or had already, and replayed its answer).
    Accepted,
    /// No answer, or one worth waiting out (offline, timeout, 409 in flight, 429, 5xx), with
    /// the server's `Retry-After` in milliseconds when it gave one.
    Retryable {
        /// The least wait the server asked for.
        after_ms: Option<f64>,
    },
    /// A definite refusal (a 4xx other than the retryable ones).
    Rejected,
}

/// How long the outbox retries by itself: 7 days from the item's creation. The server keeps
/// idempotency keys for longer (`[appointments] idempotency_days`, at least 8).
pub const HORIZON_MS: f64 = 7.0 * 24.0 * 60.0 * 60.0 * 1000.0;

/// How long one send may take before it is given up as a timeout (and retried).
pub const SEND_TIMEOUT_MS: u32 = 20_000;

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

/// One attempt's facts: how many attempts have now been made, when the item was created,
/// the time now, and a random number in `[0, 1)` for the jitter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempt {
    /// Attempts made so far, this one included.
    pub attempts: u32,
    /// When the item was created.
    pub created_at: f64,
    /// Now.
    pub now: f64,
    /// In `[0, 1)`.
    pub jitter: f64,
}

/// The state after an attempt.
pub fn settle(outcome: Outcome, attempt: Attempt, backoff: Backoff) -> Delivery {
    let now = attempt.now;
    match outcome {
        Outcome::Accepted => Delivery::Delivered { at: now },
        Outcome::Rejected => Delivery::Rejected,
        Outcome::Retryable { .. } if now - attempt.created_at >= HORIZON_MS => Delivery::Paused,
        Outcome::Retryable { after_ms } => {
            let delay = backoff.delay(attempt.attempts, attempt.jitter);
            Delivery::Waiting {
                next_attempt_at: now + delay.max(after_ms.unwrap_or(0.0)),
            }
        }
    }
}

/// At start-up, an item left `Sending` by a closed tab becomes due again at once. A send
/// that is still running in another tab holds the outbox lock, so this only runs when none is.
pub fn recover(delivery: &Delivery, now: f64) -> Option<Delivery> {
    matches!(delivery, Delivery::Sending { .. }).then_some(Delivery::Waiting {
        next_attempt_at: now,
    })
}

/// The patient asked to try again now (also for a rejected item, after they fixed the cause,
/// and for a paused one).
pub fn retry_now(delivery: &Delivery, now: f64) -> Option<Delivery> {
    match delivery {
        Delivery::Waiting { .. } | Delivery::Rejected | Delivery::Paused => {
            Some(Delivery::Waiting {
                next_attempt_at: now,
            })
        }
        Delivery::Sending { .. } | Delivery::Delivered { .. } => None,
    }
}

/// Whether an item may be cancelled: anything not already sent or being sent.
pub fn can_cancel(delivery: &Delivery) -> bool {
    matches!(
        delivery,
        Delivery::Waiting { .. } | Delivery::Rejected | Delivery::Paused
    )
}

/// What cancelling an item does, decided while holding the outbox lock (so no send of it is
/// running).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancel {
    /// Never sent, or refused by the server: removing it from the device is enough.
    Remove,
    /// An attempt may have reached the server (its answer was lost): the item is replaced by
    /// its undo (for an appointment request, a withdrawal by its secret), sent like any item.
    Undo,
}

/// How to cancel an item, or `None` when it cannot be (delivered, or being sent).
pub fn cancel(delivery: &Delivery, attempts: u32, has_undo: bool) -> Option<Cancel> {
    if !can_cancel(delivery) {
        return None;
    }
    let may_have_arrived = attempts > 0 && *delivery != Delivery::Rejected;
    Some(if may_have_arrived && has_undo {
        Cancel::Undo
    } else {
        Cancel::Remove
    })
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

    fn attempt(attempts: u32, jitter: f64) -> Attempt {
        Attempt {
            attempts,
            created_at: NOW - 1_000.0,
            now: NOW,
            jitter,
        }
    }

    const RETRY: Outcome = Outcome::Retryable { after_ms: None };

    #[test]
    fn a_retryable_failure_waits_and_an_acceptance_delivers() {
        let backoff = Backoff::default();
        assert_eq!(
            settle(RETRY, attempt(1, 1.0), backoff),
            Delivery::Waiting {
                next_attempt_at: NOW + backoff.base_ms
            }
        );
        assert_eq!(
            settle(Outcome::Accepted, attempt(4, 0.3), backoff),
            Delivery::Delivered { at: NOW }
        );
        assert_eq!(
            settle(Outcome::Rejected, attempt(1, 0.3), backoff),
            Delivery::Rejected
        );
    }

    #[test]
    fn the_servers_retry_after_is_the_least_wait() {
        let backoff = Backoff::default();
        let later = Outcome::Retryable {
            after_ms: Some(60_000.0),
        };
        assert_eq!(
            settle(later, attempt(1, 1.0), backoff),
            Delivery::Waiting {
                next_attempt_at: NOW + 60_000.0
            }
        );
        let sooner = Outcome::Retryable {
            after_ms: Some(1.0),
        };
        assert_eq!(
            settle(sooner, attempt(1, 1.0), backoff),
            Delivery::Waiting {
                next_attempt_at: NOW + backoff.base_ms
            }
        );
    }

    #[test]
    fn after_the_horizon_the_outbox_stops_and_waits_for_the_patient() {
        let old = Attempt {
            created_at: NOW - HORIZON_MS,
            ..attempt(40, 0.5)
        };
        assert_eq!(settle(RETRY, old, Backoff::default()), Delivery::Paused);
        assert_eq!(
            retry_now(&Delivery::Paused, NOW),
            Some(Delivery::Waiting {
                next_attempt_at: NOW
            })
        );
        assert_eq!(claim(&Delivery::Paused, NOW), None);
    }

    #[test]
    fn cancelling_an_item_that_may_have_arrived_sends_its_undo() {
        let waiting = Delivery::Waiting {
            next_attempt_at: NOW,
        };
        assert_eq!(cancel(&waiting, 0, true), Some(Cancel::Remove));
        assert_eq!(cancel(&waiting, 2, true), Some(Cancel::Undo));
        assert_eq!(cancel(&Delivery::Paused, 2, true), Some(Cancel::Undo));
        assert_eq!(cancel(&waiting, 2, false), Some(Cancel::Remove));
        assert_eq!(cancel(&Delivery::Rejected, 2, true), Some(Cancel::Remove));
        assert_eq!(cancel(&Delivery::Sending { since: NOW }, 0, true), None);
        assert_eq!(cancel(&Delivery::Delivered { at: NOW }, 1, true), None);
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
            Delivery::Paused,
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
