//! Time to Learn, a benchmark run by `cargo xtask bench`: from a click on the launcher on
//! the demo clinic page until Learn's search box takes input in the widget, on a slow
//! network (1.6 Mbps down, 750 kbps up, 150 ms round trip) with the CPU slowed 4×; the
//! median of five cold runs, each in a new browser profile against a new server.
#![cfg(not(target_arch = "wasm32"))]

#[path = "e2e/harness.rs"]
#[allow(dead_code, reason = "the end-to-end tests use the rest of the harness")]
mod harness;

use fantoccini::Locator;
use harness::{Haven, SessionCommand};
use serde_json::json;

/// Cold runs; the median is reported.
const RUNS: usize = 5;

async fn one_run() -> f64 {
    // Without site isolation the widget's frame shares the page's renderer, so the CPU and
    // network emulation below apply to it too.
    let haven = Haven::start_with_browser_flags(&["--disable-features=site-per-process"]).await;
    haven.client.goto(&haven.host).await.unwrap();
    let launcher = haven.launcher().await;
    haven
        .client
        .issue_cmd(SessionCommand::cdp(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": 4 }),
        ))
        .await
        .unwrap();
    haven
        .client
        .issue_cmd(SessionCommand::slow_network(150, 200_000, 93_750))
        .await
        .unwrap();
    let started = std::time::Instant::now();
    launcher.click().await.unwrap();
    haven.enter_widget().await;
    haven
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(120))
        .every(std::time::Duration::from_millis(20))
        .for_element(Locator::XPath(
            "//input[@id=//label[normalize-space()='Search health topics']/@for][not(@disabled)]",
        ))
        .await
        .unwrap();
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    haven.finish().await;
    elapsed
}

#[tokio::test]
async fn time_to_learn() {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        times.push(one_run().await);
    }
    times.sort_by(f64::total_cmp);
    let median = times[RUNS / 2];
    println!(
        "BENCH|time to Learn, launcher click to search box, throttled (median of {RUNS} cold \
         runs, ms)|{median:.0}"
    );
    println!(
        "BENCH|time to Learn, fastest / slowest (ms)|{:.0} / {:.0}",
        times[0],
        times[RUNS - 1]
    );
}
