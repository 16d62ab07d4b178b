//! What the app costs to download: gzip sizes of the wasm and JS in dist/.

use std::fmt;
use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

/// One shipped file.
#[derive(Debug, Clone)]
pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

/// The wasm and JS of a build (CSS and HTML are a few KB and not counted against the budget).
#[derive(Debug, Clone, Default)]
pub struct BundleSize {
    pub files: Vec<FileSize>,
}

impl BundleSize {
    pub fn total_gzip(&self) -> u64 {
        self.files.iter().map(|f| f.gzip).sum()
    }
}

impl fmt::Display for BundleSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<44} {:>10} {:>10}", "file", "raw KB", "gzip KB")?;
        for file in &self.files {
            writeln!(f, "{:<44} {:>10.1} {:>10.1}", file.name, kb(file.raw), kb(file.gzip))?;
        }
        let raw: u64 = self.files.iter().map(|f| f.raw).sum();
        write!(f, "{:<44} {:>10.1} {:>10.1}", "total (wasm + js)", kb(raw), kb(self.total_gzip()))
    }
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

/// Gzip size at the best compression level (what a static host with gzip serves, give or take).
pub fn gzip_size(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail").len() as u64
}

pub fn measure(dist: &Path) -> Result<BundleSize, String> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let shipped = matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js"));
        if !shipped {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.push(FileSize {
            name: entry.file_name().to_string_lossy().into_owned(),
            raw: bytes.len() as u64,
            gzip: gzip_size(&bytes),
        });
    }
    if !files.iter().any(|f| f.name.ends_with(".wasm")) {
        return Err(format!("no .wasm file in {}: did the build run?", dist.display()));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(BundleSize { files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repetitive_data_compresses() {
        let data = vec![b'a'; 100_000];
        let size = gzip_size(&data);
        assert!(size > 0 && size < 1_000, "{size}");
    }

    #[test]
    fn a_dist_without_wasm_is_an_error() {
        let dir = std::env::temp_dir().join(format!("xtask-size-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
        let error = measure(&dir).unwrap_err();
        assert!(error.contains("no .wasm file"), "{error}");
        std::fs::write(dir.join("app_bg.wasm"), [0u8; 64]).unwrap();
        let bundle = measure(&dir).unwrap();
        assert_eq!(bundle.files.len(), 2);
        assert_eq!(bundle.files.iter().map(|f| f.raw).sum::<u64>(), 64 + 14);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
