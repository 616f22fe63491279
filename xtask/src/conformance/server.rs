//! The mock servers a conformance run talks to: started as child processes
//! on loopback, their output kept as the validation log.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A child process whose stdout and stderr lines are collected.
#[derive(Debug)]
pub struct Server {
    pub name: String,
    child: Child,
    pub port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Installs a committed npm package folder with `npm ci` unless `bin` exists.
pub fn npm_ci(dir: &Path, bin: &Path) -> Result<(), String> {
    if bin.exists() {
        return Ok(());
    }
    eprintln!("conformance: npm ci in {}", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .map_err(|e| {
            format!(
                "cannot run `npm ci` in {}: {e} (Node.js and npm are required)",
                dir.display()
            )
        })?;
    if !status.success() || !bin.exists() {
        return Err(format!("`npm ci` in {} failed: {status}", dir.display()));
    }
    Ok(())
}

impl Server {
    /// Starts `program args…`, waiting (at most `limit`) until `port` accepts
    /// connections.
    pub fn start(
        name: &str,
        program: &Path,
        args: &[String],
        port: u16,
        limit: Duration,
    ) -> Result<Server, String> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {name} ({}): {e}", program.display()))?;
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let streams: Vec<Box<dyn Read + Send>> = [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        .collect();
        for stream in streams {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Ok(mut l) = log.lock() {
                        l.push(line);
                    }
                }
            });
        }
        let mut server = Server {
            name: name.to_owned(),
            child,
            port,
            log,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "{name} exited ({status}) before listening:\n{}",
                    server.tail(40)
                ));
            }
            if started.elapsed() > limit {
                return Err(format!(
                    "{name} did not listen on port {port} within {} s:\n{}",
                    limit.as_secs(),
                    server.tail(40)
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!(
            "conformance: {name} listening on 127.0.0.1:{port} after {:.1} s",
            started.elapsed().as_secs_f64()
        );
        Ok(server)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn lines(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn tail(&self, n: usize) -> String {
        let lines = self.lines();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// Sends `GET /__conformance/mark/end` and waits until the log shows
    /// it, so every earlier request's lines are in.
    pub fn sync(&self, through: &Server) -> Result<(), String> {
        let mut stream = TcpStream::connect(("127.0.0.1", through.port))
            .map_err(|e| format!("{}: {e}", self.name))?;
        stream
            .write_all(b"GET /__conformance/mark/end HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .map_err(|e| format!("{}: {e}", self.name))?;
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
        let started = Instant::now();
        while !self
            .lines()
            .iter()
            .any(|l| l.contains("/__conformance/mark/end"))
        {
            if started.elapsed() > Duration::from_secs(30) {
                return Err(format!(
                    "{}: the end marker never reached the log",
                    self.name
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }
}

/// Node.js, as found on `PATH`.
pub fn node() -> PathBuf {
    PathBuf::from("node")
}
