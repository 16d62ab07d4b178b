//! xtask: the project's tasks, run as `cargo xtask <task>` (the alias is in .cargo/config.toml).
//!
//! - `setup`: installs exactly what is missing, and only that (pinned versions; see
//!   ../shared/TOOLCHAIN.md for why these versions).
//! - `serve`: setup, then `trunk serve` at http://127.0.0.1:8080.
//! - `dist`: setup, then a release build into dist/ with wasm-opt, the service worker that lets
//!   the app start offline, static-host fallbacks, and the gzip size of the shipped wasm + JS.
//! - `test`: every test: native, browser (wasm-bindgen-test), release bundle size budget, and the
//!   Playwright end-to-end suite against the release bundle. One summary line at the end.
//! - `bench`: the benchmarks in headless Chromium, next to their JavaScript peers in the same page
//!   (storage: bulk import against Dexie's bulkPut, and cold start; inbox: the release app over
//!   the same data, from navigation to first row, queue switch, sort, opening a ticket; search:
//!   our index next to FlexSearch and MiniSearch on the same tickets and queries); prints the
//!   tables and writes them to target/bench/.
//! - `tzdata`: regenerates the core's table of time zone rules from the system's tzdata.
//!
//! This is a binary, so it uses one catch-all error type: a message for the person at the terminal.

mod offline;
mod process;
mod setup;
mod size;
mod tzdata;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use process::{CommandExt, Task, TaskResult, cargo, fail, format_duration, project_root};

/// The product bar (../shared/PRODUCT.md) is 450 KB gzip for wasm + JS. The agent workspace
/// (first run, inbox, ticket view with merge and links, new ticket, customers, team settings,
/// shortcut help) took the app to 569 KB and search (the engine, the search box, the results
/// page, saved views, time zones) to 684 KB; a support team needs those more than the bytes, so
/// they landed over the bar and this check is a ratchet against unnoticed growth while the size
/// work goes on (docs/size.md). Lower it with every saving; raise it only with a line in
/// docs/size.md saying what the bytes bought.
const BUNDLE_BUDGET_BYTES: u64 = 827 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "setup" => setup::run().map(|_| ()),
        "serve" => serve(),
        "dist" => dist(public_url(rest)).map(|_| ()),
        "test" => test(),
        "bench" => bench(rest),
        "tzdata" => tzdata::run(),
        "help" | "-h" | "--help" => {
            print_help();
            Ok(())
        }
        other => fail(format!("unknown task {other:?}; run `cargo xtask help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nerror: {error}");
            ExitCode::FAILURE
        }
    }
}

fn print_help() {
    println!(
        "cargo xtask <task>\n\n\
         setup                     install the pinned tools that are missing (trunk, wasm-bindgen-cli,\n\
         \x20                         chromium + chromedriver + CJK fonts, npm test tools)\n\
         serve                     build and serve the app at http://127.0.0.1:8080\n\
         dist [--public-url P]     release build into dist/ (P: the path it will be hosted under, default /)\n\
         test                      run every test; non-zero exit on any failure\n\
         bench [--sizes N,N] [--runs R] [--only storage|inbox|search]\n\
         \x20                         benchmarks in Chromium next to their JS peers (default sizes\n\
         \x20                         10000,100000, 3 runs); tables in target/bench/\n\
         tzdata                    regenerate the core's time zone rules from the system's tzdata"
    );
}

fn option(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|arg| arg == name).and_then(|at| args.get(at + 1).cloned())
}

fn public_url(args: &[String]) -> String {
    option(args, "--public-url").unwrap_or_else(|| "/".to_owned())
}

fn bench(args: &[String]) -> TaskResult {
    let app = dist("/".to_owned())?;
    let started = Instant::now();
    println!("\n→ building the benchmark page (release, wasm-opt)");
    let dist = project_root().join("target/bench/dist");
    // Served under /bench/ next to the app, so it can fill the app's own database (same origin).
    process::trunk()
        .args(["build", "crates/bench/index.html", "--release=true", "--public-url", "/bench/", "--dist"])
        .arg(&dist)
        .status_ok()?;
    let sizes = option(args, "--sizes").unwrap_or_else(|| "10000,100000".to_owned());
    let runs = option(args, "--runs").unwrap_or_else(|| "3".to_owned());
    let only = option(args, "--only");
    for (name, script, what) in [
        ("storage", "tests/bench/storage.mjs", "storage benchmark (a few minutes at 100,000 tickets)"),
        ("inbox", "tests/bench/inbox.mjs", "inbox benchmark: the release app over the same data"),
        ("search", "tests/bench/search.mjs", "search benchmark: ours, FlexSearch and MiniSearch on the same tickets"),
        ("rules", "tests/bench/rules.mjs", "rules benchmark: the background sweep and event rules"),
    ] {
        if only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        println!("\n→ {what}");
        process::command("node")
            .arg(script)
            .env("BENCH_DIST", &dist)
            .env("BENCH_APP_DIST", project_root().join("dist"))
            .env("BENCH_SIZES", &sizes)
            .env("BENCH_RUNS", &runs)
            .status_ok()?;
    }
    println!("app bundle: {} KB gzip (wasm + JS)", app.total_gzip() / 1024);
    println!("✓ benchmarks done in {} (tables in target/bench/)", format_duration(started.elapsed()));
    Ok(())
}

fn serve() -> TaskResult {
    setup::run()?;
    println!("\nServing the helpdesk at http://127.0.0.1:8080 (Ctrl-C to stop; edits rebuild automatically)\n");
    process::trunk().arg("serve").status_ok()
}

/// Builds the release bundle into dist/ and returns the gzip sizes of what ships.
fn dist(public_url: String) -> Result<size::BundleSize, String> {
    setup::run()?;
    let started = Instant::now();
    println!("\n→ release build into dist/ (public URL {public_url})");
    process::trunk().args(["build", "--release", "--public-url", &public_url]).status_ok()?;
    let dist = project_root().join("dist");
    offline::add_service_worker(&dist)?;
    add_static_host_fallbacks(&dist)?;
    let bundle = size::measure(&dist)?;
    println!("{bundle}");
    println!("✓ dist/ ready in {}", format_duration(started.elapsed()));
    Ok(bundle)
}

/// Static hosts serve 404 for a deep link like /customers after a reload. GitHub Pages serves
/// 404.html for unknown paths and Netlify/Cloudflare Pages read `_redirects`: both hand the path to
/// the app's router.
fn add_static_host_fallbacks(dist: &std::path::Path) -> TaskResult {
    let index = dist.join("index.html");
    std::fs::copy(&index, dist.join("404.html")).map_err(|e| format!("cannot write dist/404.html: {e}"))?;
    std::fs::write(dist.join("_redirects"), "/* /index.html 200\n")
        .map_err(|e| format!("cannot write dist/_redirects: {e}"))
}

fn test() -> TaskResult {
    let started = Instant::now();
    let mut task = Task::new();
    task.step("setup", &[], || setup::run().map(|_| ()));
    task.step("native tests (core, xtask)", &["setup"], || {
        // The app and the benchmark page are browser code: they are tested in the browser below.
        cargo().args(["test", "--workspace", "--exclude", "helpdesk", "--exclude", "helpdesk-bench"]).status_ok()
    });
    task.step("core is pure and builds for wasm32", &["setup"], check_core_purity);
    task.step("browser tests (wasm-bindgen-test in Chromium)", &["setup"], || {
        cargo()
            .args(["test", "-p", "helpdesk", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
            .status_ok()
    });
    let mut bundle = None;
    task.step("release bundle", &["setup"], || {
        bundle = Some(dist("/".to_owned())?);
        Ok(())
    });
    task.step("bundle size budget", &["release bundle"], || {
        let total = bundle.as_ref().map_or(0, |b| b.total_gzip());
        if total <= BUNDLE_BUDGET_BYTES {
            println!("{} KB gzip of {} KB allowed", total / 1024, BUNDLE_BUDGET_BYTES / 1024);
            Ok(())
        } else {
            fail(format!("the app ships {} KB gzip, over the {} KB budget", total / 1024, BUNDLE_BUDGET_BYTES / 1024))
        }
    });
    task.step("end-to-end tests (Playwright on the release bundle)", &["release bundle"], || {
        let root = project_root();
        let tests: Vec<PathBuf> = std::fs::read_dir(root.join("tests/e2e"))
            .map_err(|e| format!("cannot list tests/e2e: {e}"))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
            .collect();
        process::command("node")
            .arg("--test")
            .args(tests)
            .env("DIST_DIR", root.join("dist"))
            .env("SCREENSHOT_DIR", root.join("target/e2e"))
            .status_ok()
    });
    task.finish("xtask test", started)
}

/// The architecture invariant "core knows nothing about the browser", checked mechanically: no
/// web crate anywhere in helpdesk-core's dependency tree, for any target, and it builds for wasm32.
fn check_core_purity() -> TaskResult {
    let tree = cargo()
        .args(["tree", "-p", "helpdesk-core", "-e", "normal", "--target", "all", "--prefix", "none"])
        .output_text()?;
    let web_crates = ["wasm-bindgen", "web-sys", "js-sys", "leptos", "web-time", "getrandom", "gloo"];
    let found: Vec<&str> =
        tree.lines().filter(|line| web_crates.iter().any(|web| line.split_whitespace().next() == Some(web))).collect();
    if !found.is_empty() {
        return fail(format!("helpdesk-core depends on web crates: {found:?}"));
    }
    println!("no web crate in helpdesk-core's dependency tree ({} crates checked)", tree.lines().count());
    cargo().args(["build", "-p", "helpdesk-core", "--target", "wasm32-unknown-unknown"]).status_ok()?;
    Ok(())
}
