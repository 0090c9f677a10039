//! The appointment intake benchmark (run by `cargo xtask bench`, ignored otherwise): a Rust
//! load generator sends valid requests from 64 concurrent clients for a few seconds to the
//! real server over TCP, then does the same to a bare axum handler inserting the same row in
//! the same database, and prints requests per second, p50 and p99 for both and their ratio.
//! Runs on SQLite, and on PostgreSQL when `HAVEN_TEST_POSTGRES_URL` names a server.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use haven_server::{AppOptions, AppState, Config};
use serde_json::json;

const CLIENTS: usize = 64;
const DURATION: Duration = Duration::from_secs(6);

fn body(n: u64) -> String {
    json!({
        "id": format!("0b8f3c52-6a1e-4f0e-9d3a-{n:012x}"),
        "secret": format!("{n:032x}"),
        "reason_id": "checkup",
        "windows": [{ "date": "2027-03-03", "from": "09:00", "to": "11:00" }],
        "visit_type": "in_person",
        "new_patient": true,
        "name": "Nguyễn Thị Lan",
        "birth_date": "1985-04-12",
        "phone": "091 234 5678",
        "language": "vi",
        "consent": true,
    })
    .to_string()
}

struct Run {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Sends as many requests as `CLIENTS` clients can in `DURATION`, each with a fresh id.
async fn load(url: String, next: Arc<AtomicU64>) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, url, next) = (client.clone(), url.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while started.elapsed() < DURATION {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let sent = Instant::now();
                    let response = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("idempotency-key", format!("bench-key-{n}"))
                        .body(body(n))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), StatusCode::CREATED);
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    Run {
        per_second: latencies.len() as f64 / elapsed,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
    }
}

/// The same row, inserted by a handler with nothing around it.
async fn bare(State(state): State<AppState>, body: String) -> StatusCode {
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let now = state.now_ms();
    sqlx::query(
        "INSERT INTO appointment_requests (id, secret_hash, body_hash, status, reason_id, reason, \
         name, visit_type, language, first_date, request_json, attachment_count, received_at, \
         updated_at) VALUES ($1, $2, $3, 'new', 'checkup', 'General check-up', $4, 'in_person', \
         'vi', '2027-03-03', $5, 0, $6, $6)",
    )
    .bind(format!("bare-{}", value["id"].as_str().unwrap()))
    .bind(value["secret"].as_str().unwrap())
    .bind("")
    .bind(value["name"].as_str().unwrap())
    .bind(&body)
    .bind(now)
    .execute(state.pool())
    .await
    .unwrap();
    StatusCode::CREATED
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: cargo xtask bench runs it"]
async fn intake_throughput() {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, backend) = match std::env::var("HAVEN_TEST_POSTGRES_URL") {
        Ok(url) => (url, "PostgreSQL"),
        Err(_) => (
            format!("sqlite://{}/bench.db", dir.path().display()),
            "SQLite",
        ),
    };
    let mut config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../haven.toml"))
        .expect("the demo configuration");
    config.appointments.burst = u32::MAX;
    config.content.path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content/good");
    let mut options = AppOptions::new(database_url, config);
    options.content_reload = None;
    let state = AppState::new(options).await.unwrap();
    // Fresh ids on every run, also against a PostgreSQL database used before.
    let start = (u64::try_from(state.now_ms()).unwrap() % (1 << 36)) << 12;
    let next = Arc::new(AtomicU64::new(start));

    let server = haven_server::spawn(state.clone(), "127.0.0.1:0")
        .await
        .unwrap();
    let haven = load(
        format!("{}/api/appointment-requests", server.url()),
        next.clone(),
    )
    .await;
    server.stop().await.unwrap();

    let bare_app = Router::new()
        .route("/bare", post(bare))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let bare_server = tokio::spawn(async move { axum::serve(listener, bare_app).await });
    let bare_run = load(format!("http://{address}/bare"), next).await;
    bare_server.abort();

    println!(
        "BENCH|intake on {backend}: requests/s ({CLIENTS} clients)|{:.0}",
        haven.per_second
    );
    println!(
        "BENCH|intake on {backend}: p50 / p99 (ms)|{:.1} / {:.1}",
        haven.p50_ms, haven.p99_ms
    );
    println!(
        "BENCH|bare insert on {backend}: requests/s|{:.0}",
        bare_run.per_second
    );
    println!(
        "BENCH|bare insert on {backend}: p50 / p99 (ms)|{:.1} / {:.1}",
        bare_run.p50_ms, bare_run.p99_ms
    );
    println!(
        "BENCH|intake / bare on {backend} (goal ≥ 0.8)|{:.2}",
        haven.per_second / bare_run.per_second
    );
}
