//! Packaged subcharts (`charts/*.tgz`), unpacked in memory: never written
//! to disk, bounded, and refused whole when hostile.
//!
//! A file of the archive is named `<archive>!/<entry>`, e.g.
//! `chart/charts/redis-1.2.3.tgz!/redis/values.yaml`: the archive's real
//! path, `!/`, and the entry's path inside it. Locations in such a file are
//! lines of the entry's text.

use seamcheck_facts::render::{Tree, TreeEntry};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// Most bytes one archive may decompress to (entries and headers).
pub const MAX_UNPACKED: u64 = 16 << 20;
/// Most entries one archive may hold.
pub const MAX_ENTRIES: usize = 5_000;

/// The files of one unpacked archive, over the tree that holds it.
pub struct ArchiveTree<'t> {
    outer: &'t dyn Tree,
    /// `<archive>!/`.
    prefix: String,
    files: BTreeMap<String, Vec<u8>>,
    dirs: BTreeSet<String>,
    /// The archive's top directory (Helm's packages hold one: the chart).
    pub top: String,
}

/// A reader that fails once more than `left` bytes went through.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "it decompresses to more than {} MiB",
                MAX_UNPACKED >> 20
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The entry path, checked: relative, no `.`/`..`/empty components except
/// a trailing `/` of a directory.
fn entry_path(raw: &[u8]) -> Result<String, String> {
    let path = std::str::from_utf8(raw).map_err(|_| "an entry name is not UTF-8".to_string())?;
    let shown: String = path.chars().take(80).collect();
    let trimmed = path
        .strip_prefix("./")
        .unwrap_or(path)
        .trim_end_matches('/');
    if path.starts_with('/') || path.contains('\\') || trimmed.is_empty() {
        return Err(format!("entry `{shown}` is not a relative path"));
    }
    for part in trimmed.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(format!(
                "entry `{shown}` leaves the archive (`..`, empty or `.` component)"
            ));
        }
    }
    Ok(trimmed.to_string())
}

/// Unpacks the gzipped tar `bytes` of the archive at `archive` (a path of
/// `outer`), each entry at most `max_entry` bytes. An absolute or `..`
/// entry, a link, a device, an entry over `max_entry`, more than
/// [`MAX_UNPACKED`] bytes or [`MAX_ENTRIES`] entries refuse the archive
/// with the reason.
pub fn unpack<'t>(
    outer: &'t dyn Tree,
    archive: &str,
    bytes: &[u8],
    max_entry: u64,
) -> Result<ArchiveTree<'t>, String> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut tar = tar::Archive::new(Capped {
        inner: gz,
        left: MAX_UNPACKED,
    });
    let mut files = BTreeMap::new();
    let mut dirs = BTreeSet::new();
    let mut tops = BTreeSet::new();
    let entries = tar
        .entries()
        .map_err(|e| format!("not a gzipped tar archive: {e}"))?;
    for (count, entry) in entries.enumerate() {
        if count >= MAX_ENTRIES {
            return Err(format!("it holds more than {MAX_ENTRIES} entries"));
        }
        let mut entry = entry.map_err(|e| format!("not a readable gzipped tar archive: {e}"))?;
        let path = entry_path(&entry.path_bytes())?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            tops.insert(path.split('/').next().unwrap_or("").to_string());
            dirs.insert(path);
            continue;
        }
        if kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if !(kind.is_file() || kind.is_contiguous()) {
            return Err(format!(
                "entry `{path}` is a link or special file (not followed)"
            ));
        }
        let size = entry.header().size().unwrap_or(u64::MAX);
        if size > max_entry {
            return Err(format!(
                "entry `{path}` is larger than the {max_entry}-byte limit (--max-file-size)"
            ));
        }
        let mut content = Vec::with_capacity(size.min(1 << 20) as usize);
        (&mut entry)
            .take(max_entry.saturating_add(1))
            .read_to_end(&mut content)
            .map_err(|e| format!("entry `{path}` is not readable: {e}"))?;
        if content.len() as u64 > max_entry {
            return Err(format!(
                "entry `{path}` is larger than the {max_entry}-byte limit (--max-file-size)"
            ));
        }
        // Every directory above the file.
        let mut at = path.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            dirs.insert(parent.to_string());
            at = parent;
        }
        tops.insert(path.split('/').next().unwrap_or("").to_string());
        files.insert(path, content);
    }
    // Helm's packages hold one directory, the chart.
    let top = match tops.len() {
        1 => tops.into_iter().next().unwrap_or_default(),
        0 => return Err("it is empty".to_string()),
        _ => return Err("it holds more than one top directory (a chart package holds one)".into()),
    };
    if !dirs.contains(&top) {
        return Err("its top entry is a file, not the chart's directory".into());
    }
    Ok(ArchiveTree {
        outer,
        prefix: format!("{archive}!/"),
        files,
        dirs,
        top,
    })
}

impl ArchiveTree<'_> {
    /// The chart's directory as a tree path: `<archive>!/<top>`.
    pub fn chart_dir(&self) -> String {
        format!("{}{}", self.prefix, self.top)
    }
}

impl Tree for ArchiveTree<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        match path.strip_prefix(&self.prefix) {
            Some(inner) => self
                .files
                .get(inner)
                .cloned()
                .ok_or_else(|| format!("`{path}`: no such entry in the archive")),
            None => self.outer.read(path),
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String> {
        let Some(inner) = dir.strip_prefix(&self.prefix) else {
            return self.outer.list(dir);
        };
        if !self.dirs.contains(inner) {
            return Err(format!("`{dir}`: no such directory in the archive"));
        }
        let under = format!("{inner}/");
        let child = |p: &String| -> Option<String> {
            let rest = p.strip_prefix(&under)?;
            (!rest.contains('/')).then(|| rest.to_string())
        };
        let mut out: Vec<TreeEntry> = self
            .dirs
            .iter()
            .filter_map(|d| child(d).map(|name| TreeEntry { name, is_dir: true }))
            .chain(self.files.keys().filter_map(|f| {
                child(f).map(|name| TreeEntry {
                    name,
                    is_dir: false,
                })
            }))
            .collect();
        out.sort();
        Ok(out)
    }
}
