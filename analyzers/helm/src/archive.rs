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
/// Most bytes the packaged subcharts of one chart (nested ones included)
/// may decompress to together.
pub const MAX_UNPACKED_TOTAL: u64 = 64 << 20;

/// The bounds of one chart's loading.
pub struct Limits {
    /// Most bytes of one entry (`--max-file-size`).
    pub max_entry: u64,
    /// What is left of [`MAX_UNPACKED_TOTAL`].
    left: std::cell::Cell<u64>,
}

impl Limits {
    pub fn new(max_entry: u64) -> Self {
        Limits {
            max_entry,
            left: std::cell::Cell::new(MAX_UNPACKED_TOTAL),
        }
    }
}

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
    /// Whether the cap is the chart's total rather than this archive's.
    total: bool,
    used: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(if self.total {
                format!(
                    "the chart's packaged subcharts decompress to more than {} MiB together",
                    MAX_UNPACKED_TOTAL >> 20
                )
            } else {
                format!("it decompresses to more than {} MiB", MAX_UNPACKED >> 20)
            }));
        }
        self.left -= n as u64;
        self.used += n as u64;
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
/// `outer`), each entry at most `limits.max_entry` bytes. An absolute or
/// `..` entry, a link, a device, an entry over the limit, more than
/// [`MAX_UNPACKED`] bytes (or what is left of the chart's
/// [`MAX_UNPACKED_TOTAL`]) or [`MAX_ENTRIES`] entries refuse the archive
/// with the reason.
pub fn unpack<'t>(
    outer: &'t dyn Tree,
    archive: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<ArchiveTree<'t>, String> {
    let left = limits.left.get();
    let mut tar = tar::Archive::new(Capped {
        inner: flate2::read::GzDecoder::new(bytes),
        left: left.min(MAX_UNPACKED),
        total: left < MAX_UNPACKED,
        used: 0,
    });
    let result = unpack_entries(&mut tar, limits.max_entry);
    // What was decompressed counts, whether the archive is kept or not.
    limits.left.set(left.saturating_sub(tar.into_inner().used));
    let (files, dirs, top) = result?;
    Ok(ArchiveTree {
        outer,
        prefix: format!("{archive}!/"),
        files,
        dirs,
        top,
    })
}

type Unpacked = (BTreeMap<String, Vec<u8>>, BTreeSet<String>, String);

fn unpack_entries<R: Read>(
    tar: &mut tar::Archive<Capped<R>>,
    max_entry: u64,
) -> Result<Unpacked, String> {
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
    Ok((files, dirs, top))
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
