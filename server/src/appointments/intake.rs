//! Group commit for new requests: one writer task takes every request waiting at that moment
//! and stores them together, with their `received` events, their idempotency keys and their
//! webhook deliveries, in one transaction of a few multi-row statements.
//!
//! SQLite has one writer at a time, so a request's cost is the write statements it waits for;
//! batching makes them a handful per batch instead of several per request. Each request is
//! still stored with its key in one transaction, so exactly-once holds as before; a request
//! whose id is already taken (a copy, or a withdrawal that came first) is reported back and
//! answered by [`super::store::again`] outside the batch.

use std::collections::BTreeSet;

use sqlx::{AnyPool, Row};
use tokio::sync::{mpsc, oneshot};

use crate::db;
use crate::idempotency::{self, KeyRow};

/// The most requests written in one transaction.
const BATCH: usize = 64;

/// A checked request ready to store.
#[derive(Debug)]
pub struct Job {
    /// The request's id.
    pub id: String,
    /// The hash of its secret.
    pub secret_hash: String,
    /// The hash of its body.
    pub body_hash: String,
    /// The configured reason's id.
    pub reason_id: Option<String>,
    /// The inbox's reason label.
    pub reason: String,
    /// The patient's name.
    pub name: String,
    /// The visit type's wire name.
    pub visit_type: &'static str,
    /// The language tag.
    pub language: &'static str,
    /// The first preferred day.
    pub first_date: Option<String>,
    /// The request as stored, JSON.
    pub request_json: String,
    /// How many record items are attached.
    pub attachments: i64,
    /// When it arrived.
    pub now: i64,
    /// Whether to queue a webhook.
    pub notify: bool,
    /// Its idempotency key, complete with the 201 answer.
    pub key: Option<KeyRow>,
    /// Told whether the request was stored now (`false`: its id was taken).
    pub reply: oneshot::Sender<Result<bool, String>>,
}

/// The writer's queue.
#[derive(Debug, Clone)]
pub struct Writer(mpsc::Sender<Job>);

impl Writer {
    /// Starts the writer task for `pool`; it ends when every [`Writer`] is dropped.
    pub fn start(pool: AnyPool) -> Writer {
        let (send, receive) = mpsc::channel(4 * BATCH);
        tokio::spawn(run(pool, receive));
        Writer(send)
    }

    /// Stores `job`; `Ok(true)` when stored now, `Ok(false)` when its id was already taken.
    pub async fn store(&self, job: Job) -> Result<bool, String> {
        let (reply, answer) = oneshot::channel();
        self.0
            .send(Job { reply, ..job })
            .await
            .map_err(|_| "the request writer has stopped".to_owned())?;
        answer
            .await
            .map_err(|_| "the request writer has stopped".to_owned())?
    }
}

async fn run(pool: AnyPool, mut receive: mpsc::Receiver<Job>) {
    while let Some(first) = receive.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match receive.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match write(&pool, &batch).await {
            Ok(stored) => {
                for (job, stored) in batch.into_iter().zip(stored) {
                    let _ = job.reply.send(Ok(stored));
                }
            }
            Err(error) => {
                tracing::error!(%error, "could not store a batch of appointment requests");
                for job in batch {
                    let _ = job.reply.send(Err(error.to_string()));
                }
            }
        }
    }
}

/// `(…), (…)` placeholders for `rows` rows of `columns` values.
fn values(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stores a batch; for each job, whether it was stored now.
async fn write(pool: &AnyPool, batch: &[Job]) -> Result<Vec<bool>, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let sql = format!(
        "INSERT INTO appointment_requests (id, secret_hash, body_hash, status, reason_id, reason, \
         name, visit_type, language, first_date, request_json, attachment_count, received_at, \
         updated_at) VALUES {} ON CONFLICT (id) DO NOTHING RETURNING id",
        values(batch.len(), 14)
    );
    let mut query = sqlx::query(&sql);
    for job in batch {
        query = query
            .bind(job.id.clone())
            .bind(job.secret_hash.clone())
            .bind(job.body_hash.clone())
            .bind("new")
            .bind(job.reason_id.clone())
            .bind(job.reason.clone())
            .bind(job.name.clone())
            .bind(job.visit_type)
            .bind(job.language)
            .bind(job.first_date.clone())
            .bind(job.request_json.clone())
            .bind(job.attachments)
            .bind(job.now)
            .bind(job.now);
    }
    let inserted: BTreeSet<String> = query
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| row.try_get::<String, _>("id"))
        .collect::<Result<_, _>>()?;
    // Two copies of one id in a batch: the first is the one stored.
    let mut claimed = BTreeSet::new();
    let stored: Vec<bool> = batch
        .iter()
        .map(|job| inserted.contains(&job.id) && claimed.insert(job.id.clone()))
        .collect();
    let new: Vec<&Job> = batch
        .iter()
        .zip(&stored)
        .filter(|(_, stored)| **stored)
        .map(|(job, _)| job)
        .collect();
    if !new.is_empty() {
        let sql = format!(
            "INSERT INTO appointment_events (id, request_id, at, actor, action, detail) VALUES {}",
            values(new.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for job in &new {
            query = query
                .bind(db::new_id())
                .bind(job.id.clone())
                .bind(job.now)
                .bind("patient")
                .bind("received")
                .bind(None::<String>);
        }
        query.execute(&mut *tx).await?;
        let keys: Vec<KeyRow> = new.iter().filter_map(|job| job.key.clone()).collect();
        idempotency::insert_rows(&mut tx, &keys).await?;
        for job in new.iter().filter(|job| job.notify) {
            super::webhook::enqueue(&mut tx, &job.id, job.now).await?;
        }
    }
    tx.commit().await?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_cell() {
        assert_eq!(values(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
