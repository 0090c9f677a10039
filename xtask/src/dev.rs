//! `cargo xtask dev`: builds everything and runs the server with the demo clinic, plus a
//! demo clinic home page on another origin that embeds Haven with the real script tag.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::util::{Result, cargo, exec, output, root, step};

/// Where the widget, API, loader and console are served.
const SERVER: &str = "127.0.0.1:8080";
/// The demo clinic page: another origin, as a real clinic site would be.
const DEMO_PORT: u16 = 8081;
/// The demo database.
const DATABASE_URL: &str = "sqlite://data/haven.db";
/// The demo administrator; for local development only.
const DEMO_EMAIL: &str = "admin@riverside.example";
const DEMO_PASSWORD: &str = "riverside-demo-2026";

fn server_binary() -> PathBuf {
    root().join("target/debug/haven-server")
}

fn server() -> Command {
    let mut command = Command::new(server_binary());
    command
        .current_dir(root())
        .env("DATABASE_URL", DATABASE_URL)
        .env("HAVEN_CONFIG", root().join("haven.toml"));
    command
}

/// Runs until Ctrl-C.
pub fn run() -> Result {
    crate::install::build_tools()?;
    crate::install::trunk()?;
    crate::build::all()?;
    step("build the server");
    exec(cargo().args(["build", "-p", "haven-server"]))?;
    std::fs::create_dir_all(root().join("data")).map_err(|e| format!("data/: {e}"))?;
    exec(server().arg("migrate"))?;
    demo_staff()?;

    step("start");
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    let mut child = server()
        .args(["serve", "--listen", SERVER])
        .spawn()
        .map_err(|e| format!("cannot start haven-server: {e}"))?;
    let demo = serve_demo(&root().join("demo"))?;

    println!(
        "\n  Haven widget, API, /embed.js:  http://{SERVER}/\n  \
         Staff console:                 http://{SERVER}/console/\n  \
         Demo clinic home page:         http://localhost:{DEMO_PORT}/\n  \
         Demo staff sign-in:            {DEMO_EMAIL} / {DEMO_PASSWORD}\n\n  \
         Press Ctrl-C to stop.\n"
    );

    loop {
        if stop_rx.recv_timeout(Duration::from_millis(500)).is_ok() {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            demo.unblock();
            return Err(format!("haven-server stopped ({status})"));
        }
    }
    println!("\nstopping…");
    demo.unblock();
    stop(&mut child);
    Ok(())
}

/// Asks the server to finish in-flight requests and stop (SIGTERM), then waits for it.
fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    for _ in 0..100 {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Creates the demo administrator unless it exists.
fn demo_staff() -> Result {
    let list = output(server().args(["staff", "list"])).unwrap_or_default();
    if list.contains(DEMO_EMAIL) {
        return Ok(());
    }
    let mut add = server()
        .args([
            "staff",
            "add",
            "--email",
            DEMO_EMAIL,
            "--role",
            "admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run haven-server staff add: {e}"))?;
    if let Some(mut stdin) = add.stdin.take() {
        use std::io::Write;
        writeln!(stdin, "{DEMO_PASSWORD}").map_err(|e| e.to_string())?;
    }
    let status = add.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err("could not create the demo staff account".into())
    }
}

/// Serves the demo clinic page's folder on localhost, in a background thread.
fn serve_demo(dir: &Path) -> Result<std::sync::Arc<tiny_http::Server>> {
    let server = std::sync::Arc::new(
        tiny_http::Server::http(("127.0.0.1", DEMO_PORT))
            .map_err(|e| format!("cannot listen on localhost:{DEMO_PORT}: {e}"))?,
    );
    let dir = dir.to_owned();
    let listener = server.clone();
    std::thread::spawn(move || {
        for request in listener.incoming_requests() {
            let path = request
                .url()
                .split('?')
                .next()
                .unwrap_or("/")
                .trim_start_matches('/');
            let name = if path.is_empty() { "index.html" } else { path };
            let file = dir.join(name);
            let inside = !name.split('/').any(|part| part == "..");
            let response = match (inside, std::fs::read(&file)) {
                (true, Ok(bytes)) => {
                    let kind = content_type(&file);
                    tiny_http::Response::from_data(bytes).with_header(
                        tiny_http::Header::from_bytes("Content-Type", kind).expect("valid header"),
                    )
                }
                _ => tiny_http::Response::from_string("not found").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    Ok(server)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}
