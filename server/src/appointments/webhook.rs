//! Signed webhooks: the clinic's systems hear of each new request at once.
//!
//! A delivery is written in the request's own transaction ([`enqueue`]) and sent by a
//! background task ([`deliver_due`]) until the receiver answers 2xx, with growing waits
//! between attempts (30 s doubling to an hour, at most [`MAX_ATTEMPTS`] tries).
//!
//! Each `POST` carries `Haven-Webhook-Id`, `Haven-Webhook-Timestamp` (Unix seconds) and
//! `Haven-Webhook-Signature: v1=<hex>`, the HMAC-SHA256 of `"{id}.{timestamp}.{body}"` with
//! the configured secret; a receiver recomputes it and refuses old timestamps. The body names
//! the request and its time only (`{"type":"appointment_request.received","id":…,"received_at":…}`):
//! staff read the request itself in the console.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::{AnyConnection, Row};

use crate::db;
use crate::state::AppState;

/// Tries before a delivery is given up (and logged).
pub const MAX_ATTEMPTS: i64 = 12;
/// How long one attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// The event for a new request.
pub const RECEIVED: &str = "appointment_request.received";

/// Queues the notification of a new request on the request's transaction.
pub async fn enqueue(
    connection: &mut AnyConnection,
    request_id: &str,
    received_at: i64,
) -> Result<(), sqlx::Error> {
    let body = serde_json::json!({
        "type": RECEIVED,
        "id": request_id,
        "received_at": haven_api::date::format_instant(received_at),
    })
    .to_string();
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, event, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(db::new_id())
    .bind(RECEIVED)
    .bind(body)
    .bind(received_at)
    .execute(connection)
    .await?;
    Ok(())
}

/// The signature header's value for a delivery.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1={}", db::hex(&mac.finalize().into_bytes()))
}

/// The wait after `attempts` failed attempts: 30 s, doubling, at most an hour.
fn backoff_ms(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    (30_000 * 2_i64.pow(exponent)).min(60 * 60 * 1000)
}

/// Sends every due delivery once; returns how many were delivered. Does nothing when no
/// webhook is configured.
pub async fn deliver_due(state: &AppState, client: &reqwest::Client) -> Result<u64, sqlx::Error> {
    let settings = &state.config().appointments;
    let (Some(url), Some(secret)) = (&settings.webhook_url, &settings.webhook_secret) else {
        return Ok(0);
    };
    let now = state.now_ms();
    let due = sqlx::query(
        "SELECT id, body, attempts FROM webhook_deliveries WHERE delivered_at IS NULL \
         AND attempts < $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at LIMIT 50",
    )
    .bind(MAX_ATTEMPTS)
    .bind(now)
    .fetch_all(state.pool())
    .await?;
    let mut delivered = 0;
    for row in due {
        let id: String = row.try_get("id")?;
        let body: String = row.try_get("body")?;
        let attempts: i64 = row.try_get::<i64, _>("attempts")? + 1;
        let timestamp = now / 1000;
        let sent = client
            .post(url)
            .timeout(ATTEMPT_TIMEOUT)
            .header("content-type", "application/json")
            .header("haven-webhook-id", &id)
            .header("haven-webhook-timestamp", timestamp.to_string())
            .header(
                "haven-webhook-signature",
                signature(secret, &id, timestamp, &body),
            )
            .body(body)
            .send()
            .await;
        let failure = match sent {
            Ok(response) if response.status().is_success() => None,
            Ok(response) => Some(format!("the receiver answered {}", response.status())),
            Err(error) => Some(format!("could not reach the receiver: {error}")),
        };
        let _turn = db::writer_turn(state.pool()).await;
        match failure {
            None => {
                delivered += 1;
                sqlx::query(
                    "UPDATE webhook_deliveries SET delivered_at = $1, attempts = $2, \
                     last_error = NULL WHERE id = $3",
                )
                .bind(state.now_ms())
                .bind(attempts)
                .bind(&id)
                .execute(state.pool())
                .await?;
            }
            Some(error) => {
                if attempts >= MAX_ATTEMPTS {
                    tracing::error!(%id, %error, "a webhook delivery was given up");
                } else {
                    tracing::warn!(%id, %error, attempts, "a webhook delivery failed; retrying later");
                }
                sqlx::query(
                    "UPDATE webhook_deliveries SET attempts = $1, next_attempt_at = $2, \
                     last_error = $3 WHERE id = $4",
                )
                .bind(attempts)
                .bind(now + backoff_ms(attempts))
                .bind(error)
                .bind(&id)
                .execute(state.pool())
                .await?;
            }
        }
    }
    Ok(delivered)
}

/// Sends due deliveries every [`crate::AppOptions::webhook_every`], until aborted.
pub fn spawn_sender(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let Some(period) = state.options().webhook_every else {
            return;
        };
        let client = reqwest::Client::new();
        let mut every = tokio::time::interval(period);
        loop {
            every.tick().await;
            if let Err(error) = deliver_due(&state, &client).await {
                tracing::error!(%error, "could not send webhooks");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_from_30_seconds_to_an_hour() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(20), 60 * 60 * 1000);
    }

    #[test]
    fn the_signature_covers_id_timestamp_and_body() {
        let base = signature("s3cret-s3cret-s3cret", "a", 1, "{}");
        assert!(base.starts_with("v1=") && base.len() == 67);
        assert_ne!(base, signature("s3cret-s3cret-s3cret", "b", 1, "{}"));
        assert_ne!(base, signature("s3cret-s3cret-s3cret", "a", 2, "{}"));
        assert_ne!(base, signature("s3cret-s3cret-s3cret", "a", 1, "{ }"));
    }
}
