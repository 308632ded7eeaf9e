//! `cargo xtask conformance`: Payabli's own SDK against our mock.
//!
//! Writes a throwaway probe crate (templates in `xtask/conformance/probe/`)
//! to `target/conformance/probe`, builds it with its own target dir, starts
//! `payusers mock` on a free loopback port and runs the probe against it.
//! The vendor SDK (`payabli_api`) never enters our dependency tree: the probe
//! is its own workspace, and `cargo clean` removes all of it. Slow (the SDK
//! pulls a large tree), so it runs on demand, not in CI.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PROBE_MANIFEST: &str = include_str!("../conformance/probe/Cargo.toml.txt");
const PROBE_MAIN: &str = include_str!("../conformance/probe/main.rs.txt");
/// The token `payusers mock` accepts unless told otherwise.
const MOCK_TOKEN: &str = "mock_request_token";
/// How long the mock may take to accept connections.
const MOCK_START: Duration = Duration::from_secs(15);

/// Builds the probe and our CLI, runs the probe against the mock; `Err` when
/// a build fails, the mock does not start, or any probe check fails.
pub fn run(root: &Path) -> Result<(), String> {
    let target = target_dir(root);
    let scratch = target.join("conformance");
    let probe_dir = scratch.join("probe");
    write_if_changed(&probe_dir.join("Cargo.toml"), PROBE_MANIFEST)?;
    write_if_changed(&probe_dir.join("src/main.rs"), PROBE_MAIN)?;

    let probe_target = scratch.join("target");
    println!(
        "building the probe against payabli_api in {} \
         (the first build takes minutes and about 1 GB)...",
        probe_dir.display()
    );
    let started = Instant::now();
    cargo(&probe_dir)
        .args(["build", "--manifest-path"])
        .arg(probe_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &probe_target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?
        .success()
        .then_some(())
        .ok_or("the probe does not build")?;
    println!("probe built in {:.1} s", started.elapsed().as_secs_f64());

    println!("building payusers (feature cli)...");
    cargo(root)
        .args(["build", "--quiet", "-p", "payusers", "--features", "cli"])
        .args(["--bin", "payusers"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?
        .success()
        .then_some(())
        .ok_or("payusers does not build")?;

    let addr = free_loopback_port()?;
    let cli = target.join("debug").join(exe("payusers"));
    let _mock = Mock::start(&cli, addr)?;
    let base = format!("http://{addr}/payabli/api");
    println!("running the probe against {base}");
    let probe = probe_target.join("debug").join(exe("payabli_probe"));
    let mut command = Command::new(&probe);
    command
        .env("PAYABLI_BASE", &base)
        .env("PAYABLI_API_TOKEN", MOCK_TOKEN)
        // Loopback only: no proxy may see (or redirect) the probe's requests.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"] {
        command.env_remove(var).env_remove(var.to_lowercase());
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run {}: {e}", probe.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err("the vendor SDK does not conform to our mock (see FAIL lines above)".into())
    }
}

/// The workspace target dir: `CARGO_TARGET_DIR` if set, else `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// A cargo command in `dir`, without the package variables `cargo run` gave
/// xtask: build scripts (ring's, for one) watch `CARGO_PKG_NAME` and the
/// like, so inheriting xtask's values would rebuild them on every run.
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(dir);
    let inherited = [
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
    ];
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || inherited.contains(&key.as_ref())
        {
            command.env_remove(key.as_ref());
        }
    }
    command
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// Writes only on change, so an unchanged probe is not rebuilt.
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let parent = path.parent().unwrap_or(path);
    std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A free port on 127.0.0.1: bind port 0, note the port, release it.
fn free_loopback_port() -> Result<SocketAddr, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot find a free loopback port: {e}"))?;
    listener.local_addr().map_err(|e| e.to_string())
}

/// `payusers mock` as a child process, killed when dropped (also on errors).
struct Mock(Child);

impl Mock {
    /// Starts the mock on `addr` and waits until it accepts connections.
    fn start(cli: &Path, addr: SocketAddr) -> Result<Mock, String> {
        let child = Command::new(cli)
            .args(["--quiet", "mock", "--addr", &addr.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", cli.display()))?;
        let mut mock = Mock(child);
        let deadline = Instant::now() + MOCK_START;
        loop {
            if let Ok(Some(status)) = mock.0.try_wait() {
                return Err(format!("payusers mock exited early ({status})"));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                println!("payusers mock listening on {addr}");
                return Ok(mock);
            }
            if Instant::now() > deadline {
                return Err(format!("payusers mock did not listen on {addr} in time"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
