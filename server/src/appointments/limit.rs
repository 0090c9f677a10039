//! Per-client rate limits on the anonymous intake endpoint, with tower-governor: a client
//! (its address, see [`crate::extract::ClientIp`]) may send `burst` requests at once and then
//! `per_minute` a minute. A limited client gets 429 with `Retry-After`; the widget's outbox
//! keeps the request and tries again after that.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorLayer;
use tower_governor::errors::GovernorError;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::KeyExtractor;

use crate::config::AppointmentsConfig;
use crate::error::AppError;
use crate::extract::client_ip;

/// The key: the client's address. Requests without connection info (in-process callers)
/// share one key.
#[derive(Debug, Clone)]
pub struct ClientKey(Arc<Vec<ipnet::IpNet>>);

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(client_ip(request.headers(), request.extensions(), &self.0)
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// The limiter's configuration, shared by the layer and the task that forgets idle clients.
pub type Limits = Arc<GovernorConfig<ClientKey, NoOpMiddleware<governor::clock::QuantaInstant>>>;

/// The limits of `[appointments]`, for clients behind `trusted` proxies.
pub fn limits(config: &AppointmentsConfig, trusted: &[ipnet::IpNet]) -> Limits {
    let period = Duration::from_secs(60) / config.per_minute.max(1);
    let built = GovernorConfigBuilder::default()
        .key_extractor(ClientKey(Arc::new(trusted.to_vec())))
        .period(period)
        .burst_size(config.burst.max(1))
        .finish()
        .expect("a period and burst of at least one");
    Arc::new(built)
}

/// The layer, answering limited clients with Haven's JSON error and `Retry-After`.
pub fn layer(
    limits: &Limits,
) -> GovernorLayer<ClientKey, NoOpMiddleware<governor::clock::QuantaInstant>, Body> {
    GovernorLayer::new(limits.clone()).error_handler(|error| match error {
        GovernorError::TooManyRequests { wait_time, .. } => AppError::rate_limited(
            "too many requests from this address; your request is kept and will be sent again \
             shortly",
            Duration::from_secs(wait_time.max(1)),
        )
        .into_response(),
        other => AppError::internal(other.to_string()).into_response(),
    })
}

/// Forgets clients that have been quiet, every ten minutes, until aborted.
pub fn spawn_cleaner(limits: &Limits) -> tokio::task::JoinHandle<()> {
    let limiter = limits.limiter().clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        loop {
            every.tick().await;
            limiter.retain_recent();
        }
    })
}
