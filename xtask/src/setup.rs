//! `cargo xtask setup`: install exactly what is missing, and say what and how long.
//!
//! Versions are pinned for reasons recorded in ../shared/TOOLCHAIN.md: trunk 0.21.14 (0.22 needs a
//! newer rustc), wasm-bindgen-cli equal to the lock file's wasm-bindgen (Trunk would otherwise try
//! to download one), binaryen 132 from npm (Debian's wasm-opt 108 produces modules Chromium
//! rejects), Debian's Chromium and ChromeDriver, and a CJK font so that Japanese screenshots show
//! text rather than boxes.

use std::path::Path;
use std::time::Instant;

use crate::process::{CommandExt, TaskResult, cargo, command, fail, format_duration, project_root};

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const DEBIAN_PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "fonts-noto-cjk"];
const MIN_NODE_MAJOR: u32 = 18;

/// One tool: how to tell it is there, and how to install it.
struct Tool {
    name: String,
    /// `Ok(Some(detail))` when present (detail says which), `Ok(None)` when missing.
    present: Box<dyn Fn() -> Result<Option<String>, String>>,
    install: Box<dyn Fn() -> TaskResult>,
}

/// Checks every tool and installs the missing ones. Returns how many were installed.
pub fn run() -> Result<usize, String> {
    let started = Instant::now();
    let mut installed = 0;
    for tool in tools()? {
        if let Some(detail) = (tool.present)()? {
            println!("✓ {} ({detail})", tool.name);
            continue;
        }
        println!("→ installing {} …", tool.name);
        let took = Instant::now();
        (tool.install)().map_err(|error| format!("could not install {}: {error}", tool.name))?;
        match (tool.present)()? {
            Some(detail) => println!("✓ {} installed in {} ({detail})", tool.name, format_duration(took.elapsed())),
            None => return fail(format!("{} still missing after installing it", tool.name)),
        }
        installed += 1;
    }
    println!("setup: everything present ({installed} installed) in {}", format_duration(started.elapsed()));
    Ok(installed)
}

fn tools() -> Result<Vec<Tool>, String> {
    let wasm_bindgen = lock_file_version("wasm-bindgen")?;
    Ok(vec![
        Tool {
            name: format!("Rust target {WASM_TARGET}"),
            present: Box::new(|| {
                let installed = command("rustup").args(["target", "list", "--installed"]).output_text()?;
                Ok(installed.lines().any(|line| line.trim() == WASM_TARGET).then(|| "rustup".to_owned()))
            }),
            install: Box::new(|| command("rustup").args(["target", "add", WASM_TARGET]).status_ok()),
        },
        Tool {
            name: format!("trunk {TRUNK_VERSION}"),
            present: Box::new(|| Ok(version_of("trunk", TRUNK_VERSION))),
            install: Box::new(|| {
                cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]).status_ok()
            }),
        },
        Tool {
            name: format!("wasm-bindgen-cli {wasm_bindgen}"),
            present: Box::new({
                let version = wasm_bindgen.clone();
                move || {
                    let cli = version_of("wasm-bindgen", &version);
                    let runner = version_of("wasm-bindgen-test-runner", &version);
                    Ok(cli.zip(runner).map(|(cli, _)| cli))
                }
            }),
            install: Box::new({
                let version = wasm_bindgen.clone();
                // No --locked: one dependency version in wasm-bindgen-cli's own lock file is not in
                // the registry here (../shared/TOOLCHAIN.md).
                move || cargo().args(["install", "wasm-bindgen-cli", "--version", &version]).status_ok()
            }),
        },
        Tool {
            name: "Chromium, ChromeDriver and a Japanese font".to_owned(),
            present: Box::new(|| {
                let browsers = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
                let fonts = command("fc-list").arg(":lang=ja").output_text().unwrap_or_default();
                Ok((browsers && !fonts.trim().is_empty()).then(|| CHROMIUM.to_owned()))
            }),
            install: Box::new(install_debian_packages),
        },
        Tool {
            name: "npm test tools (playwright-core, binaryen)".to_owned(),
            present: Box::new(npm_tools_present),
            install: Box::new(|| {
                check_node()?;
                command("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(project_root().join("tests"))
                    .status_ok()
            }),
        },
    ])
}

/// `Some(first line of --version)` if `program --version` mentions `version`.
fn version_of(program: &str, version: &str) -> Option<String> {
    let output = command(program).arg("--version").output_text().ok()?;
    let first_line = output.lines().next().unwrap_or_default().trim().to_owned();
    first_line.split_whitespace().any(|word| word == version).then_some(first_line)
}

/// The version of `package` in Cargo.lock (the one wasm-bindgen-cli must equal).
fn lock_file_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    parse_lock_version(&lock, package).ok_or_else(|| format!("{package} is not in Cargo.lock"))
}

fn parse_lock_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines.next()?.trim().strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

fn install_debian_packages() -> TaskResult {
    if command("apt-get").arg("--version").output_text().is_err() {
        return fail(format!(
            "apt-get is not available; install {} with your system's package manager",
            DEBIAN_PACKAGES.join(", ")
        ));
    }
    let is_root = command("id").arg("-u").output_text().map(|uid| uid.trim() == "0").unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut apt = if is_root {
            command("apt-get")
        } else {
            let mut sudo = command("sudo");
            sudo.arg("apt-get");
            sudo
        };
        apt.args(args).env("DEBIAN_FRONTEND", "noninteractive").status_ok()
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q"];
    install.extend(DEBIAN_PACKAGES);
    apt(&install)
}

fn check_node() -> TaskResult {
    let version = command("node").arg("--version").output_text().map_err(|_| {
        format!("Node.js is not installed; install Node.js {MIN_NODE_MAJOR} or newer (it runs the browser tests)")
    })?;
    let major: u32 = version.trim().trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if major < MIN_NODE_MAJOR {
        return fail(format!("Node.js {} is too old; {MIN_NODE_MAJOR} or newer is needed", version.trim()));
    }
    Ok(())
}

/// Present when `npm ci` ran after the last change to package-lock.json and left the tools.
fn npm_tools_present() -> Result<Option<String>, String> {
    let tests = project_root().join("tests");
    let lock = tests.join("package-lock.json");
    let installed_marker = tests.join("node_modules/.package-lock.json");
    let tools = [tests.join("node_modules/.bin/wasm-opt"), tests.join("node_modules/playwright-core/package.json")];
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&lock), modified(&installed_marker)) {
        (Some(lock), Some(installed)) => installed >= lock,
        _ => false,
    };
    if !fresh || !tools.iter().all(|tool| tool.exists()) {
        return Ok(None);
    }
    Ok(version_of_wasm_opt().map(|version| format!("wasm-opt {version}")))
}

fn version_of_wasm_opt() -> Option<String> {
    let output = command("wasm-opt").arg("--version").output_text().ok()?;
    output.split_whitespace().nth(2).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_file_versions_are_found() {
        let lock = "[[package]]\nname = \"wasm-bindgen-shared\"\nversion = \"0.2.1\"\n\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(parse_lock_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(parse_lock_version(lock, "wasm-bindgen-shared").as_deref(), Some("0.2.1"));
        assert_eq!(parse_lock_version(lock, "leptos"), None);
    }

    #[test]
    fn the_real_lock_file_pins_wasm_bindgen() {
        let version = lock_file_version("wasm-bindgen").unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }
}
