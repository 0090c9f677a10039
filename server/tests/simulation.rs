//! The delivery simulation: the widget's real outbox policy (`haven_api::outbox`) against the
//! real request handler (the whole app in process, a real SQLite file, a virtual clock),
//! through a faulty network: requests dropped, answers lost after commit, clients that go
//! away mid-request, duplicates, 429s with `Retry-After`, server restarts between commit and
//! answer, cancels racing sends, staff confirming while the patient withdraws, and offline
//! spells long enough for idempotency keys to expire.
//!
//! Every run checks that each request is stored exactly once (or, when the patient cancelled
//! it before any attempt or the server refused it, not at all), that no withdrawn request is
//! confirmed, and that every patient sees the true status. A failing run prints its seed;
//! `HAVEN_SIM_SEED=<seed>` replays it alone. `HAVEN_SIM_RUNS` sets how many runs (300 by
//! default; `cargo xtask soak` runs 10,000).

use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use haven_api::appointments::{RequestState, RequestStatus, Slot};
use haven_api::outbox::{self as policy, Attempt, Backoff, Cancel, Delivery, Outcome};
use haven_server::appointments::store::{self, Change, Changed};
use haven_server::audit::{Action, Actor};
use haven_server::clock::Clock;
use haven_server::{AppOptions, AppState, Config, idempotency};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::Row;
use tower::ServiceExt;

/// Tuesday 1 December 2026, 09:00 at the demo clinic.
const START: i64 = 1_796_090_400_000;
const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// One item of the simulated outbox.
#[derive(Debug, Clone)]
struct Item {
    key: String,
    endpoint: String,
    payload: String,
    delivery: Delivery,
    attempts: u32,
    created_at: i64,
    /// For a request: its id and secret. For an undo: the request it withdraws.
    request: usize,
    undo: bool,
    /// The server's last answer body, once delivered or rejected.
    answer: Option<(StatusCode, String)>,
}

/// One request the patient made.
#[derive(Debug, Clone)]
struct Made {
    id: String,
    secret: String,
    body_hash: String,
    /// The patient cancelled it before any attempt: it must never be stored.
    removed: bool,
}

struct World {
    rng: StdRng,
    state: AppState,
    clock: Clock,
    database_url: String,
    config: Config,
    items: Vec<Item>,
    made: Vec<Made>,
    /// Requests staff confirmed (the confirmation was committed).
    confirmed: Vec<String>,
    /// Requests whose withdrawal the server acknowledged.
    withdrawn: Vec<String>,
}

fn demo_config() -> Config {
    let mut config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../haven.toml"))
        .expect("the demo configuration");
    config.appointments.burst = 1_000_000;
    config.content.path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content/good");
    config.content.local_path = None;
    config
}

async fn start_state(database_url: &str, config: &Config, clock: &Clock) -> AppState {
    let mut options = AppOptions::new(database_url, config.clone());
    options.clock = clock.clone();
    options.content_reload = None;
    options.widget_dir = std::env::temp_dir().join("haven-sim-no-widget");
    options.console_dir = std::env::temp_dir().join("haven-sim-no-console");
    AppState::new(options).await.expect("the app starts")
}

fn hex(rng: &mut StdRng, digits: usize) -> String {
    (0..digits)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap())
        .collect()
}

fn uuid(rng: &mut StdRng) -> String {
    let h = hex(rng, 32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn sha256(bytes: &[u8]) -> String {
    haven_server::db::sha256_hex(bytes)
}

impl World {
    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The patient makes a request for a weekday 20 to 60 days ahead, 09:00–10:00.
    fn make_request(&mut self) {
        let id = uuid(&mut self.rng);
        let secret = hex(&mut self.rng, 32);
        let mut day = jiff::civil::date(2026, 12, 1)
            .checked_add(jiff::Span::new().days(self.rng.random_range(20..60)))
            .unwrap();
        while matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            day = day.tomorrow().unwrap();
        }
        let body = json!({
            "id": id,
            "secret": secret,
            "reason_id": "checkup",
            "windows": [{ "date": day.to_string(), "from": "09:00", "to": "10:00" }],
            "visit_type": "phone",
            "new_patient": false,
            "name": "Trần Văn Minh",
            "birth_date": "1970-02-03",
            "phone": "+84 912 345 678",
            "language": "vi",
            "consent": true,
            "notes": format!("run note {}", self.rng.random_range(0..1_000_000)),
        })
        .to_string();
        self.made.push(Made {
            id: id.clone(),
            secret,
            body_hash: sha256(body.as_bytes()),
            removed: false,
        });
        self.items.push(Item {
            key: id,
            endpoint: "/api/appointment-requests".into(),
            payload: body,
            delivery: Delivery::Waiting {
                next_attempt_at: self.now() as f64,
            },
            attempts: 0,
            created_at: self.now(),
            request: self.made.len() - 1,
            undo: false,
            answer: None,
        });
    }

    fn request(&self, item: &Item) -> Request<Body> {
        Request::post(&item.endpoint)
            .header("content-type", "application/json")
            .header("idempotency-key", &item.key)
            .body(Body::from(item.payload.clone()))
            .unwrap()
    }

    /// The whole app answering one request, as a client that waits for the answer.
    async fn call(&self, request: Request<Body>) -> (StatusCode, String) {
        let response = haven_server::app(self.state.clone())
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// One attempt at sending `index`, through the network's fault of the moment.
    async fn attempt(&mut self, index: usize, perfect: bool) {
        let now = self.now();
        let item = &self.items[index];
        let Some(sending) = policy::claim(&item.delivery, now as f64) else {
            return;
        };
        self.items[index].delivery = sending;
        self.items[index].attempts += 1;
        let request = self.request(&self.items[index]);
        let fault = if perfect {
            0
        } else {
            self.rng.random_range(0..10)
        };
        let outcome = match fault {
            // Dropped before reaching the server.
            1 => Outcome::Retryable { after_ms: None },
            // Rate-limited by a proxy on the way.
            2 => Outcome::Retryable {
                after_ms: Some(f64::from(self.rng.random_range(1..120)) * 1000.0),
            },
            // Stored, then the answer is lost (timeout, dead connection).
            3 => {
                self.call(request).await;
                Outcome::Retryable { after_ms: None }
            }
            // The client goes away at some point while the server works.
            4 => {
                let app = haven_server::app(self.state.clone());
                let task = tokio::spawn(app.oneshot(request));
                for _ in 0..self.rng.random_range(0..40) {
                    tokio::task::yield_now().await;
                }
                task.abort();
                let _ = task.await;
                Outcome::Retryable { after_ms: None }
            }
            // Stored, and the server restarts before answering.
            5 if self.rng.random_range(0..10) == 0 => {
                self.call(request).await;
                self.state = start_state(&self.database_url, &self.config, &self.clock).await;
                Outcome::Retryable { after_ms: None }
            }
            // A duplicate: the same send twice at once; the client reads the first answer.
            6 => {
                let copy = self.request(&self.items[index]);
                let (first, _) = tokio::join!(self.call(request), self.call(copy));
                self.outcome(index, first)
            }
            _ => {
                let answer = self.call(request).await;
                self.outcome(index, answer)
            }
        };
        let item = &self.items[index];
        let attempt = Attempt {
            attempts: item.attempts,
            created_at: item.created_at as f64,
            now: self.now() as f64,
            jitter: self.rng.random(),
        };
        self.items[index].delivery = policy::settle(outcome, attempt, Backoff::default());
    }

    fn outcome(&mut self, index: usize, (status, body): (StatusCode, String)) -> Outcome {
        let retryable =
            matches!(status.as_u16(), 408 | 409 | 425 | 429) || status.is_server_error();
        if status.is_success() {
            self.items[index].answer = Some((status, body));
            Outcome::Accepted
        } else if retryable {
            Outcome::Retryable { after_ms: None }
        } else {
            self.items[index].answer = Some((status, body));
            Outcome::Rejected
        }
    }

    /// The patient cancels an item, as the widget does under the outbox lock.
    fn cancel(&mut self, index: usize) {
        let item = self.items[index].clone();
        let plan = policy::cancel(&item.delivery, item.attempts, !item.undo);
        match plan {
            None => {}
            Some(Cancel::Remove) => {
                self.items.remove(index);
                if !item.undo && item.attempts == 0 {
                    self.made[item.request].removed = true;
                }
            }
            Some(Cancel::Undo) => {
                let made = &self.made[item.request];
                let undo = Item {
                    key: uuid(&mut self.rng),
                    endpoint: format!("/api/appointment-requests/{}/answer", made.id),
                    payload: json!({ "action": "withdraw", "secret": made.secret }).to_string(),
                    delivery: Delivery::Waiting {
                        next_attempt_at: self.now() as f64,
                    },
                    attempts: 0,
                    created_at: self.now(),
                    request: item.request,
                    undo: true,
                    answer: None,
                };
                self.items[index] = undo;
            }
        }
    }

    /// A front-desk member confirms a random stored request, straight through the store.
    async fn staff_confirms(&mut self) {
        if self.made.is_empty() {
            return;
        }
        let made = self.made[self.rng.random_range(0..self.made.len())].clone();
        let slot = Slot {
            date: "2027-02-01".into(),
            time: "09:30".into(),
        };
        let actor = Actor::staff("desk@clinic.example", None);
        let changed = store::staff_change(
            self.state.pool(),
            &made.id,
            Change::Confirm(slot, None),
            &actor,
            Action::RequestConfirmed,
            self.now(),
        )
        .await
        .unwrap();
        if let Changed::Done(state) = changed
            && state.status == RequestStatus::Confirmed
        {
            self.confirmed.push(made.id);
        }
    }

    /// From the status view, the patient withdraws a request the device knows was delivered.
    async fn patient_withdraws(&mut self) {
        let delivered: Vec<usize> = self
            .items
            .iter()
            .filter(|item| !item.undo && matches!(item.delivery, Delivery::Delivered { .. }))
            .map(|item| item.request)
            .collect();
        if delivered.is_empty() {
            return;
        }
        let made = self.made[delivered[self.rng.random_range(0..delivered.len())]].clone();
        let request = Request::post(format!("/api/appointment-requests/{}/answer", made.id))
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {}", made.secret))
            .body(Body::from(json!({ "action": "withdraw" }).to_string()))
            .unwrap();
        let (status, body) = self.call(request).await;
        if status == StatusCode::OK {
            let state: RequestState = serde_json::from_str(&body).unwrap();
            assert_eq!(state.status, RequestStatus::Withdrawn);
            self.withdrawn.push(made.id);
        }
    }

    async fn step(&mut self) {
        // Time passes: seconds, minutes, hours, and now and then a long offline spell.
        let wait = match self.rng.random_range(0..100) {
            0..=59 => self.rng.random_range(1..120) * 1000,
            60..=89 => self.rng.random_range(1..240) * MINUTE,
            90..=97 => self.rng.random_range(1..48) * 60 * MINUTE,
            _ => self.rng.random_range(8..40) * DAY,
        };
        self.clock.advance(Duration::from_millis(wait as u64));
        if self.rng.random_range(0..4) == 0 {
            idempotency::purge_expired(
                self.state.pool(),
                self.state.options().idempotency_ttl,
                self.now(),
            )
            .await
            .unwrap();
        }
        match self.rng.random_range(0..12) {
            0 | 1 if !self.items.is_empty() => {
                let index = self.rng.random_range(0..self.items.len());
                self.cancel(index);
            }
            2 | 3 => self.staff_confirms().await,
            4 => self.patient_withdraws().await,
            5 if self.made.len() < 3 => self.make_request(),
            _ => {}
        }
        // The sender works through what is due, in random order.
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, self.rng.random_range(0..=i));
        }
        for index in order {
            self.attempt(index, false).await;
        }
    }

    /// The network heals; the patient sends what paused; everything settles.
    async fn settle(&mut self) {
        for _ in 0..200 {
            for item in &mut self.items {
                if let Some(due) = policy::retry_now(&item.delivery, self.clock.now_ms() as f64)
                    && matches!(item.delivery, Delivery::Paused)
                {
                    item.delivery = due;
                }
            }
            let open = self.items.iter().any(|item| {
                matches!(
                    item.delivery,
                    Delivery::Waiting { .. } | Delivery::Sending { .. }
                )
            });
            if !open {
                return;
            }
            self.clock.advance(Duration::from_secs(20 * 60));
            for index in 0..self.items.len() {
                self.attempt(index, true).await;
            }
        }
        panic!("the outbox did not settle on a perfect network");
    }

    /// The checks every run must pass.
    async fn check(&self) -> Result<(), String> {
        let pool = self.state.pool();
        for made in &self.made {
            let row = sqlx::query(
                "SELECT status, body_hash, (SELECT COUNT(*) FROM appointment_events e \
                 WHERE e.request_id = r.id AND e.action = 'received') AS received \
                 FROM appointment_requests r WHERE id = $1",
            )
            .bind(&made.id)
            .fetch_optional(pool)
            .await
            .map_err(|e| e.to_string())?;
            let request_item = self
                .items
                .iter()
                .find(|item| !item.undo && item.key == made.id);
            let refused = request_item.is_some_and(|item| item.delivery == Delivery::Rejected);
            match row {
                None if made.removed || refused => {}
                None => {
                    // Never stored: only if no attempt of it ever reached the server and the
                    // patient cancelled (its undo, if any, then recorded a withdrawal).
                    if request_item.is_some() {
                        return Err(format!("request {} was never stored", made.id));
                    }
                }
                Some(row) => {
                    let status: String = row.get("status");
                    let body_hash: String = row.get("body_hash");
                    let received: i64 = row.get("received");
                    if made.removed {
                        return Err(format!(
                            "request {} was cancelled unsent but stored",
                            made.id
                        ));
                    }
                    if !body_hash.is_empty() && body_hash != made.body_hash {
                        return Err(format!("request {} stored with another body", made.id));
                    }
                    if received > 1 {
                        return Err(format!("request {} was received {received} times", made.id));
                    }
                    if !body_hash.is_empty() && received != 1 {
                        return Err(format!("request {} stored without its receipt", made.id));
                    }
                    let withdrawn_ack = self.items.iter().any(|item| {
                        item.undo
                            && item.request_id(&self.made) == made.id
                            && matches!(item.delivery, Delivery::Delivered { .. })
                    });
                    if withdrawn_ack && status != "withdrawn" {
                        return Err(format!(
                            "request {} was withdrawn (acknowledged) but is {status}",
                            made.id
                        ));
                    }
                    if self.withdrawn.contains(&made.id) && status != "withdrawn" {
                        return Err(format!("request {} was withdrawn but is {status}", made.id));
                    }
                    if status == "withdrawn" && self.confirmed.contains(&made.id) {
                        // Confirmed first, then withdrawn: the withdrawal must have been refused.
                        return Err(format!("request {} was confirmed and withdrawn", made.id));
                    }
                    // What the patient's device last heard agrees with the server.
                    if let Some(item) = request_item
                        && matches!(item.delivery, Delivery::Delivered { .. })
                    {
                        let (_, body) = item.answer.clone().unwrap_or_default();
                        let heard: RequestState =
                            serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
                        if heard.id != made.id {
                            return Err(format!("request {} got another's answer", made.id));
                        }
                        let now = self.read_status(made).await?;
                        if now.status.as_str() != status {
                            return Err(format!("request {}: status read back differs", made.id));
                        }
                    }
                    if request_item.is_some_and(|item| item.delivery == Delivery::Rejected) {
                        return Err(format!(
                            "request {} is stored but the patient was told it was refused",
                            made.id
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    async fn read_status(&self, made: &Made) -> Result<RequestState, String> {
        let request = Request::get(format!("/api/appointment-requests/{}", made.id))
            .header("authorization", format!("Bearer {}", made.secret))
            .body(Body::empty())
            .unwrap();
        let (status, body) = self.call(request).await;
        if status != StatusCode::OK {
            return Err(format!("reading {} gave {status}: {body}", made.id));
        }
        serde_json::from_str(&body).map_err(|e| e.to_string())
    }
}

impl Item {
    fn request_id<'a>(&self, made: &'a [Made]) -> &'a str {
        &made[self.request].id
    }
}

async fn run(
    seed: u64,
    state: AppState,
    clock: Clock,
    database_url: &str,
    config: &Config,
) -> Result<(), String> {
    clock.set(START);
    let mut world = World {
        rng: StdRng::seed_from_u64(seed),
        state,
        clock,
        database_url: database_url.to_owned(),
        config: config.clone(),
        items: Vec::new(),
        made: Vec::new(),
        confirmed: Vec::new(),
        withdrawn: Vec::new(),
    };
    world.make_request();
    let steps = world.rng.random_range(5..40);
    for _ in 0..steps {
        world.step().await;
    }
    world.settle().await;
    world.check().await
}

#[tokio::test(flavor = "current_thread")]
async fn every_request_is_stored_exactly_once_through_a_faulty_network() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}/simulation.db", dir.path().display());
    let config = demo_config();
    let clock = Clock::manual(START);
    let state = start_state(&database_url, &config, &clock).await;
    let seeds: Vec<u64> = match std::env::var("HAVEN_SIM_SEED") {
        Ok(seed) => vec![seed.parse().expect("HAVEN_SIM_SEED is a number")],
        Err(_) => {
            let runs: u64 = std::env::var("HAVEN_SIM_RUNS")
                .ok()
                .and_then(|runs| runs.parse().ok())
                .unwrap_or(300);
            (1..=runs).collect()
        }
    };
    let mut failures = Vec::new();
    for &seed in &seeds {
        if let Err(problem) = run(seed, state.clone(), clock.clone(), &database_url, &config).await
        {
            eprintln!(
                "seed {seed} failed: {problem}\n  replay: HAVEN_SIM_SEED={seed} cargo test -p haven-server --test simulation"
            );
            failures.push(seed);
        }
    }
    let stored: i64 = sqlx::query("SELECT COUNT(*) AS n FROM appointment_requests")
        .fetch_one(state.pool())
        .await
        .unwrap()
        .get("n");
    eprintln!("{} runs, {stored} requests stored", seeds.len());
    assert!(failures.is_empty(), "failing seeds: {failures:?}");
}
