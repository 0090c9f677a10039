//! A throwaway PostgreSQL cluster for the server suite: created in a temporary directory on
//! a free local port, removed when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use crate::util::{Result, exec};

/// A running cluster; stopping and removing it happens on drop.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// `postgres://haven@127.0.0.1:<port>/postgres`.
    pub url: String,
}

/// Debian's newest installed PostgreSQL binaries.
fn bin_dir() -> Result<PathBuf> {
    let base = PathBuf::from("/usr/lib/postgresql");
    let mut versions: Vec<u32> = std::fs::read_dir(&base)
        .map_err(|e| {
            format!(
                "{}: {e} (is the postgresql package installed?)",
                base.display()
            )
        })?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    versions.sort_unstable();
    let version = versions
        .last()
        .ok_or("no PostgreSQL version under /usr/lib/postgresql")?;
    Ok(base.join(version.to_string()).join("bin"))
}

/// PostgreSQL refuses to run as root, so as root the cluster runs as `postgres`.
fn as_postgres(program: PathBuf) -> Command {
    if crate::util::is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

impl Cluster {
    /// Initialises and starts a cluster with trust authentication for user `haven`.
    pub fn start() -> Result<Cluster> {
        let bin = bin_dir()?;
        let dir = std::env::temp_dir().join(format!("haven-pg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let _ = Command::new("chown").arg("postgres").arg(&dir).status();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let data = dir.join("data");
        exec(
            as_postgres(bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args(["-A", "trust", "-U", "haven", "--no-sync"])
                .stdout(std::process::Stdio::null()),
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            dir.display()
        );
        exec(
            as_postgres(bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(dir.join("log"))
                .args(["-w", "start"]),
        )?;
        Ok(Cluster {
            dir,
            bin,
            url: format!("postgres://haven@127.0.0.1:{port}/postgres"),
        })
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_postgres(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "stop"])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
