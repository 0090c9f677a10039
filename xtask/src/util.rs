//! Running commands and finding the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A task's error: a sentence for the developer.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the widget crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_owned()
}

/// The cargo that runs this task, so nested builds use the same toolchain.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

/// `PATH` with the npm tools (wasm-opt) and cargo's bin folder first.
pub fn tool_path() -> String {
    let cargo_bin = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"))
        .join("bin");
    format!(
        "{}:{}:{}",
        root().join("node_modules/.bin").display(),
        cargo_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs a command to completion, echoing it; an error names the command.
pub fn exec(command: &mut Command) -> Result {
    println!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", describe(command)))?;
    succeeded(command, status)
}

/// Ok for a successful exit, otherwise an error naming the command.
fn succeeded(command: &Command, status: std::process::ExitStatus) -> Result {
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Whether this process runs as root (then apt needs no sudo, and PostgreSQL must drop to
/// its own user).
pub fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0")
}

/// Test counts gathered from cargo's `test result:` lines.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
}

/// Runs `cargo test …`, echoing its output, and adds its results to `tally`.
pub fn exec_tests(command: &mut Command, tally: &mut Tally) -> Result {
    use std::io::{BufRead, BufReader};
    println!("$ {}", describe(command));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{}`: {e}", describe(command)))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout)
        .lines()
        .map_while(std::io::Result::ok)
    {
        println!("{line}");
        if let Some(rest) = line.strip_prefix("test result: ") {
            let count = |label: &str| {
                rest.split(';')
                    .find_map(|part| {
                        part.trim()
                            .trim_start_matches("ok. ")
                            .trim_start_matches("FAILED. ")
                            .strip_suffix(label)
                    })
                    .and_then(|n| n.trim().parse::<u64>().ok())
                    .unwrap_or(0)
            };
            tally.passed += count(" passed");
            tally.failed += count(" failed");
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    succeeded(command, status)
}

/// Runs a command quietly and returns its standard output, or `None` if it failed to run.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prints a step heading.
pub fn step(title: &str) {
    println!("\n==> {title}");
}
