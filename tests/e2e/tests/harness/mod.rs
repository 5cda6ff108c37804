//! Starts what a WebDriver session against the real app needs: `tauri-driver` (which starts
//! `WebKitWebDriver` and the app) on the display `cargo xtask test` provides, and a client.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub struct Session {
    pub client: Client,
    processes: Vec<Child>,
    data_dir: tempfile::TempDir,
    pub shots: PathBuf,
    /// One app on the display at a time, whatever the test runner's thread count: two
    /// webviews on two cores make each other's waits time out.
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long a page has to show a text, its element appearing included: 30 s for the
/// element (as `find` allows) and 30 s more for the text.
const TEXT_PATIENCE: Duration = Duration::from_secs(60);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Session {
    pub async fn start() -> Session {
        Self::start_with_env(&[]).await
    }

    /// Starts the app with extra environment variables (e.g. the gateway to sync with).
    pub async fn start_with_env(env: &[(&str, &str)]) -> Session {
        let app = std::env::var("CIVIC_E2E_APP").expect(
            "CIVIC_E2E_APP must point at the built app; run the end-to-end suite with `cargo xtask test`",
        );
        assert!(Path::new(&app).is_file(), "no app at {app}");
        let turn = TURN.lock().await;
        let data_dir = tempfile::tempdir().expect("tempdir");
        let mut processes = Vec::new();
        // `cargo xtask test` provides a display (Xvfb on a headless machine).
        let display = std::env::var("DISPLAY")
            .ok()
            .filter(|d| !d.is_empty())
            .expect("DISPLAY must be set; run the end-to-end suite with `cargo xtask test`");
        let (port, native_port) = (free_port(), free_port());
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", &display)
            // The app under test starts fresh: its catalog and the webview's storage (language,
            // text size) live in a new directory, whatever earlier runs left behind.
            .env("CIVIC_DATA_DIR", data_dir.path())
            .env("XDG_DATA_HOME", data_dir.path().join("xdg-data"))
            .env("XDG_CACHE_HOME", data_dir.path().join("xdg-cache"))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .expect("tauri-driver runs (cargo xtask install)");
        processes.push(driver);

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if started.elapsed() < Duration::from_secs(60) => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(error) => panic!("no WebDriver session after 60 s: {error}"),
            }
        };
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        Session {
            client,
            processes,
            data_dir,
            shots,
            _turn: turn,
        }
    }

    /// Clicks the element `css` once it is there.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css} within 30 s: {e}"))
    }

    /// Where the app under test keeps its data (and its webview's storage).
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// Polls until `css` has exactly `expected` as its text.
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        self.wait_for_text_within(css, expected, TEXT_PATIENCE)
            .await;
    }

    /// Polls until the text of `css` contains `part`.
    pub async fn wait_for_text_containing(&self, css: &str, part: &str) {
        self.wait_for(css, part, TEXT_PATIENCE, |text| text.contains(part))
            .await;
    }

    /// Polls until `css` has exactly `expected` as its text, for as long as `patience`.
    pub async fn wait_for_text_within(&self, css: &str, expected: &str, patience: Duration) {
        self.wait_for(css, expected, patience, |text| text.trim() == expected)
            .await;
    }

    /// Polls until `css` is there and its text is `done`; an element not there yet counts as
    /// not done.
    pub async fn wait_for(
        &self,
        css: &str,
        expected: &str,
        patience: Duration,
        done: impl Fn(&str) -> bool,
    ) {
        let started = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => Some(element.text().await.unwrap_or_default()),
                Err(_) => None,
            };
            if text.as_deref().is_some_and(&done) {
                return;
            }
            assert!(
                started.elapsed() < patience,
                "{css} says {text:?} after {patience:?}, wanted {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn script(&self, js: &str) -> serde_json::Value {
        self.client
            .execute(js, vec![])
            .await
            .unwrap_or_else(|e| panic!("script {js:?} failed: {e}"))
    }

    /// Saves a screenshot of the page as it is now, after checking the page with axe-core:
    /// every page a suite looks at must pass WCAG 2.x A and AA.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        self.assert_accessible(name).await;
        let png = self.client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
        let path = self.shots.join(name);
        std::fs::write(&path, png).expect("write screenshot");
        println!("screenshot: {}", path.display());
        path
    }

    /// Fails on any WCAG 2.0/2.1/2.2 level A or AA violation axe-core finds on the page,
    /// naming the rule and the elements.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.accessibility_violations(page).await;
        assert!(
            violations.is_empty(),
            "{page}: accessibility violations (WCAG 2.x A/AA):\n{}",
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
    }

    /// Runs axe-core (`tests/e2e/node_modules`, pinned by the lockfile) on the page: its
    /// violations of the WCAG A and AA rules.
    pub async fn accessibility_violations(&self, page: &str) -> Vec<serde_json::Value> {
        let axe =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&axe).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (cargo xtask install runs npm ci in tests/e2e)",
                axe.display()
            )
        });
        self.client
            .execute(&format!("{source}\nreturn typeof axe;"), vec![])
            .await
            .expect("load axe-core into the page");
        let found = self
            .client
            .execute_async(AXE_RUN, vec![])
            .await
            .unwrap_or_else(|e| panic!("{page}: axe-core did not run: {e}"));
        serde_json::from_str(
            found
                .as_str()
                .unwrap_or_else(|| panic!("{page}: axe-core answered {found}")),
        )
        .unwrap_or_else(|e| panic!("{page}: axe-core answered {found}: {e}"))
    }

    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        self.end_processes();
    }

    fn end_processes(&mut self) {
        for mut child in self.processes.drain(..).rev() {
            // tauri-driver leaves WebKitWebDriver (and through it the app) running when it is
            // killed: stop every descendant, one pid at a time, deepest first.
            for pid in descendants(child.id()).into_iter().rev() {
                let _ = Command::new("kill")
                    .args(["-TERM", &pid.to_string()])
                    .status();
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A test that fails mid-way still stops the driver and the app: left running, they hold
/// the test's output open and the run never ends.
impl Drop for Session {
    fn drop(&mut self) {
        self.end_processes();
    }
}

/// Runs axe on the whole document for the WCAG A and AA rules and hands back the violations
/// as JSON text (rule, impact, what to fix, the first elements).
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] } })
  .then(result => done(JSON.stringify(result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target.join(' '), why: n.failureSummary })),
  })))))
  .catch(error => done(JSON.stringify([{ rule: 'axe-error', help: String(error) }])));
"#;

/// Every process below `root`, parents before children (from `/proc/<pid>/stat`).
fn descendants(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid …": comm may hold spaces, so read after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok());
        if let Some(ppid) = ppid {
            parents.push((pid, ppid));
        }
    }
    let mut found = vec![root];
    let mut index = 0;
    while index < found.len() {
        let parent = found[index];
        found.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        index += 1;
    }
    found.remove(0);
    found
}

/// A real city gateway on loopback serving the first `procedures` bundled procedures under
/// the city profile `profile` (TOML).
pub async fn gateway(profile: &str, procedures: usize) -> civic_test_gateway::TestGateway {
    civic_test_gateway::serve(
        civic_test_gateway::bundled(procedures),
        "2026-11-20",
        profile,
    )
    .await
}
