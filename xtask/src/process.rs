//! Running commands with the project's tools on PATH, and reporting multi-step tasks.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub type TaskResult = Result<(), String>;

pub fn fail<T>(message: impl Into<String>) -> Result<T, String> {
    Err(message.into())
}

/// The repository root (xtask lives one level below it).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits inside the repository").to_path_buf()
}

/// Where `npm ci` puts the test tools' executables (playwright, binaryen's wasm-opt).
pub fn npm_bin_dir() -> PathBuf {
    project_root().join("tests/node_modules/.bin")
}

/// PATH with cargo's bin directory and the npm tools first, so the pinned wasm-opt (binaryen 132)
/// wins over any older system one, and freshly installed trunk/wasm-bindgen are found.
pub fn tool_path() -> std::ffi::OsString {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"));
    let existing = std::env::var_os("PATH").unwrap_or_default();
    let dirs = [Some(npm_bin_dir()), cargo_bin].into_iter().flatten().chain(std::env::split_paths(&existing));
    std::env::join_paths(dirs).unwrap_or(existing)
}

/// A command run from the project root with the tool PATH.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(project_root()).env("PATH", tool_path());
    command
}

pub fn cargo() -> Command {
    command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Trunk, never reaching for the network: a missing tool is then a clear error, not a download
/// attempt that hangs on this offline machine.
pub fn trunk() -> Command {
    let mut trunk = command("trunk");
    trunk.env("TRUNK_OFFLINE", "true");
    trunk
}

pub trait CommandExt {
    /// Runs with inherited output; a non-zero exit is an error naming the command.
    fn status_ok(&mut self) -> TaskResult;
    /// Runs and returns stdout; a failure is an error with stderr.
    fn output_text(&mut self) -> Result<String, String>;
}

fn describe(command: &Command) -> String {
    let args: Vec<String> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    format!("{} {}", command.get_program().to_string_lossy(), args.join(" "))
}

impl CommandExt for Command {
    fn status_ok(&mut self) -> TaskResult {
        let description = describe(self);
        println!("$ {description}");
        match self.status() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => fail(format!("`{description}` failed ({status})")),
            Err(error) => fail(format!("cannot run `{description}`: {error}")),
        }
    }

    fn output_text(&mut self) -> Result<String, String> {
        let description = describe(self);
        let output =
            self.stdin(Stdio::null()).output().map_err(|error| format!("cannot run `{description}`: {error}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            fail(format!("`{description}` failed: {}", String::from_utf8_lossy(&output.stderr).trim()))
        }
    }
}

/// `1m 05s`, `42s`, `0.8s`.
pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 60 {
        format!("{}m {:02}s", seconds / 60, seconds % 60)
    } else if seconds >= 10 {
        format!("{seconds}s")
    } else {
        format!("{:.1}s", duration.as_secs_f64())
    }
}

/// A task of several named steps. A failed step does not stop independent later steps (one CI
/// run then reports every broken part), but steps that depend on it are skipped.
#[derive(Debug, Default)]
pub struct Task {
    results: Vec<(String, Outcome, Duration)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

impl Task {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn step(&mut self, name: &str, needs: &[&str], run: impl FnOnce() -> TaskResult) {
        let missing = needs
            .iter()
            .find(|need| !self.results.iter().any(|(done, outcome, _)| done == *need && *outcome == Outcome::Passed));
        if let Some(need) = missing {
            println!("\n── {name}: skipped ({need} did not pass)");
            self.results.push((name.to_owned(), Outcome::Skipped(need.to_string()), Duration::ZERO));
            return;
        }
        println!("\n── {name}");
        let started = Instant::now();
        let outcome = match run() {
            Ok(()) => Outcome::Passed,
            Err(error) => {
                eprintln!("✗ {name}: {error}");
                Outcome::Failed(error)
            }
        };
        self.results.push((name.to_owned(), outcome, started.elapsed()));
    }

    /// Prints the summary; an error if any step did not pass.
    pub fn finish(self, title: &str, started: Instant) -> TaskResult {
        println!("\n── summary");
        for (name, outcome, took) in &self.results {
            match outcome {
                Outcome::Passed => println!("  ✓ {name} ({})", format_duration(*took)),
                Outcome::Failed(error) => println!("  ✗ {name}: {error}"),
                Outcome::Skipped(need) => println!("  - {name}: skipped, needs {need}"),
            }
        }
        let passed = self.results.iter().filter(|(_, outcome, _)| *outcome == Outcome::Passed).count();
        let total = self.results.len();
        let verdict = if passed == total { "passed" } else { "FAILED" };
        println!("{title}: {verdict}: {passed}/{total} steps passed in {}", format_duration(started.elapsed()));
        if passed == total { Ok(()) } else { fail(format!("{} of {total} steps did not pass", total - passed)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_millis(800)), "0.8s");
        assert_eq!(format_duration(Duration::from_secs(42)), "42s");
        assert_eq!(format_duration(Duration::from_secs(65)), "1m 05s");
    }

    #[test]
    fn a_failed_step_skips_its_dependents_but_not_the_rest() {
        let mut task = Task::new();
        task.step("a", &[], || fail("boom"));
        let mut ran_b = false;
        task.step("b", &["a"], || {
            ran_b = true;
            Ok(())
        });
        let mut ran_c = false;
        task.step("c", &[], || {
            ran_c = true;
            Ok(())
        });
        assert!(!ran_b && ran_c);
        assert_eq!(task.results[1].1, Outcome::Skipped("a".into()));
        assert!(task.finish("t", Instant::now()).is_err());
    }

    #[test]
    fn a_task_whose_steps_pass_succeeds() {
        let mut task = Task::new();
        task.step("a", &[], || Ok(()));
        task.step("b", &["a"], || Ok(()));
        assert!(task.finish("t", Instant::now()).is_ok());
    }
}
