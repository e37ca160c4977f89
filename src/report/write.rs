//! Writing an output file (`--output`, `--report`, `--write-baseline`,
//! `init`) without ever writing anywhere else.
//!
//! What the destination is decides how it is written:
//! - a new path or a regular file: a temporary file in the same directory,
//!   created with `O_CREAT|O_EXCL` under a random name (the `tempfile`
//!   crate), so a link planted at a guessable name is never followed; it
//!   gets the mode (and, when allowed, the owner) of the file it replaces,
//!   and is renamed over it once complete, so a reader never sees half a
//!   report;
//! - a character device (`/dev/null`, a terminal) or a FIFO: written in
//!   place; renaming over them would replace the device node;
//! - `/dev/stdout` and `/dev/stderr`: the process's own stream;
//! - a symbolic link: the user named it, so its target is written by the
//!   rules above, and the link stays a link;
//! - a directory, socket or block device: an error.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Links followed from a destination before giving up (as the kernel's 40).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` (see the module documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] for content produced by `fill` as it is written.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match destination(path)? {
        Destination::Stdout => {
            let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            fill(&mut out).and_then(|()| out.flush())
        }
        Destination::Stderr => {
            let mut out = io::stderr().lock();
            fill(&mut out).and_then(|()| out.flush())
        }
        Destination::InPlace(target) => {
            // No O_TRUNC needed on a device or FIFO; `truncate` is ignored
            // there and keeps `/dev/fd/N` onto a file shell-like.
            let file = OpenOptions::new().write(true).truncate(true).open(target)?;
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            fill(&mut out).and_then(|()| out.flush())
        }
        Destination::Replace { path, existing } => replace(&path, existing.as_ref(), fill),
    }
}

/// How a destination is written.
#[derive(Debug)]
enum Destination {
    Stdout,
    Stderr,
    /// Opened and written where it is (devices, FIFOs, `/dev/fd/N`).
    InPlace(PathBuf),
    /// A temporary file renamed over `path` (a regular file or nothing).
    Replace {
        path: PathBuf,
        existing: Option<std::fs::Metadata>,
    },
}

fn destination(path: &Path) -> io::Result<Destination> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if path == Path::new("/dev/stdout") {
            return Ok(Destination::Stdout);
        }
        if path == Path::new("/dev/stderr") {
            return Ok(Destination::Stderr);
        }
        if is_fd_path(&path) {
            return Ok(Destination::InPlace(path));
        }
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Destination::Replace {
                    path,
                    existing: None,
                })
            }
            Err(e) => return Err(e),
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            // The user named this link: write what it points at.
            let target = std::fs::read_link(&path)?;
            path = match path.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            continue;
        }
        if ft.is_file() {
            return Ok(Destination::Replace {
                path,
                existing: Some(meta),
            });
        }
        if ft.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        if is_char_device_or_fifo(&ft) {
            return Ok(Destination::InPlace(path));
        }
        return Err(io::Error::other(
            "not a regular file, character device or FIFO",
        ));
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// `/dev/fd/N` and `/proc/self/fd/N`: an open descriptor of this process,
/// whatever it refers to (a pipe has no path to rename over).
fn is_fd_path(path: &Path) -> bool {
    let Some(s) = path.to_str() else { return false };
    ["/dev/fd/", "/proc/self/fd/"].iter().any(|prefix| {
        s.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

#[cfg(unix)]
fn is_char_device_or_fifo(ft: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    ft.is_char_device() || ft.is_fifo()
}

#[cfg(not(unix))]
fn is_char_device_or_fifo(_: &std::fs::FileType) -> bool {
    false
}

/// A temporary file beside `path`, filled, given `existing`'s mode and
/// owner, then renamed over `path`. Missing parent directories are created
/// (`--report sarif=out/seamcheck.sarif` in a fresh checkout).
fn replace(
    path: &Path,
    existing: Option<&std::fs::Metadata>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // A short fixed name: `.NAME.tmp` would not fit beside a 255-byte NAME.
    let tmp = tempfile::Builder::new()
        .prefix(".seamcheck-")
        .suffix(".tmp")
        .make_in(dir, |path| {
            let mut options = std::fs::OpenOptions::new();
            // O_CREAT|O_EXCL: never an existing file, nor a link at the name.
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                // A new file gets 0666 less the umask, as `>` in a shell
                // would; O_NOFOLLOW says outright what O_EXCL implies.
                options
                    .mode(0o666)
                    .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
            }
            options.open(path)
        })?;
    if let Some(meta) = existing {
        keep_mode_and_owner(tmp.as_file(), meta)?;
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, tmp);
    fill(&mut out)?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    // On error the temporary file is removed when `tmp` drops.
    tmp.persist(path).map(drop).map_err(|e| e.error)
}

#[cfg(unix)]
fn keep_mode_and_owner(file: &File, meta: &std::fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // The owner first: chown clears set-id bits, which the mode then restores.
    // Only root may give a file away; anyone else keeps their own file.
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    file.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_mode_and_owner(file: &File, meta: &std::fs::Metadata) -> io::Result<()> {
    file.set_permissions(meta.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_by_kind() {
        assert!(matches!(
            destination(Path::new("/dev/stdout")),
            Ok(Destination::Stdout)
        ));
        assert!(is_fd_path(Path::new("/dev/fd/3")));
        assert!(is_fd_path(Path::new("/proc/self/fd/12")));
        assert!(!is_fd_path(Path::new("/dev/fd/")));
        assert!(!is_fd_path(Path::new("/dev/fd/3/x")));
        #[cfg(target_os = "linux")]
        assert!(matches!(
            destination(Path::new("/dev/null")),
            Ok(Destination::InPlace(p)) if p == Path::new("/dev/null")
        ));
    }
}
