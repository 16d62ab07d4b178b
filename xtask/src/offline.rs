//! The offline start: a service worker that keeps the files of the build in dist/ (see sw.js).

use std::path::Path;

/// Files in dist/ that are not part of the app itself: the static-host fallbacks (written after
/// this step, listed in case it runs twice) and the worker.
const NOT_KEPT: [&str; 3] = ["404.html", "_redirects", "sw.js"];

/// How index.html starts the worker: after the app has started and had a moment to open its
/// storage, so that keeping the files (a second read of the 2 MB wasm, mostly from the HTTP
/// cache) does not compete with the first screen. A browser without service workers, or a page
/// opened from a file, simply has no offline start.
/// Its id tells the app that this build has an offline start (Settings shows whether it is ready),
/// and it marks itself `data-failed` when the worker cannot be had: sw.js did not load, or the
/// install was given up (a file of the build could not be fetched) with no earlier worker active.
/// The browser then drops the registration, which would otherwise read as "not registered yet".
const REGISTER: &str = concat!(
    "<script id=\"offline-start\">if(\"serviceWorker\"in navigator)addEventListener(\"TrunkApplicationStarted\",()=>setTimeout(()=>{",
    "const failed=()=>{document.getElementById(\"offline-start\").dataset.failed=\"\"};",
    "navigator.serviceWorker.register(\"sw.js\").then((r)=>{const w=r.installing;",
    "if(w)w.addEventListener(\"statechange\",()=>{if(w.state===\"redundant\"&&!r.active)failed()})},failed)",
    "},2000))</script>",
);

/// Writes dist/sw.js for the files now in `dist` and makes index.html register it.
pub fn add_service_worker(dist: &Path) -> Result<(), String> {
    let mut files: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !NOT_KEPT.contains(&name.as_str()))
        .collect();
    files.sort();
    if !files.iter().any(|name| name == "index.html") {
        return Err(format!("no index.html in {}: did the build run?", dist.display()));
    }
    std::fs::write(dist.join("sw.js"), worker(&files)).map_err(|e| format!("cannot write dist/sw.js: {e}"))?;
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| format!("cannot read dist/index.html: {e}"))?;
    std::fs::write(&index_path, with_registration(&index)?).map_err(|e| format!("cannot write dist/index.html: {e}"))
}

/// The worker for `files`: the template without its comment lines, named after the build (the
/// file names carry content hashes, so a new build always gets a new cache).
fn worker(files: &[String]) -> String {
    let list = format!("[{}]", files.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(","));
    include_str!("sw.js")
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("__VERSION__", &format!("{:016x}", fnv1a(&list)))
        .replace("__FILES__", &list)
}

fn with_registration(index: &str) -> Result<String, String> {
    if index.contains(REGISTER) {
        return Ok(index.to_owned());
    }
    let at = index.rfind("</body>").ok_or("dist/index.html has no </body> to put the service worker's start before")?;
    Ok(format!("{}{REGISTER}{}", &index[..at], &index[at..]))
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_keeps_this_builds_files_under_its_own_name() {
        let a = worker(&["index.html".into(), "app-1.wasm".into()]);
        assert!(a.contains(r#"const FILES = ["index.html","app-1.wasm"];"#), "{a}");
        assert!(!a.contains("__"), "every placeholder is filled");
        assert!(!a.lines().any(|line| line.trim_start().starts_with("//")), "comment lines are dropped");
        let b = worker(&["index.html".into(), "app-2.wasm".into()]);
        assert_ne!(a.lines().find(|l| l.contains("VERSION =")), b.lines().find(|l| l.contains("VERSION =")));
    }

    #[test]
    fn index_registers_the_worker_once() {
        let page = "<html><body><noscript>x</noscript></body></html>";
        let once = with_registration(page).unwrap();
        assert_eq!(once.matches("serviceWorker.register").count(), 1);
        assert!(once.ends_with(&format!("{REGISTER}</body></html>")));
        assert_eq!(with_registration(&once).unwrap(), once);
        assert!(with_registration("<html>").is_err());
    }
}
