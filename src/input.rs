//! Reading a file seamcheck was not told to trust, and one it was.
//!
//! A file of the audited repository is opened below the directory the user
//! named (the *base*, trusted) without following any symbolic link on the
//! way: `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` on Linux, else
//! `openat(O_NOFOLLOW)` one component at a time. It is opened with
//! `O_NONBLOCK` (a FIFO never blocks the open), checked to be a regular
//! file on the open descriptor (so `/dev/zero` or a FIFO is never read),
//! and read up to a size cap.
//!
//! Files named on the command line (`--config`, `--baseline`) are trusted
//! paths: links in them are followed, but they too must be regular files
//! and are read up to a cap.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// `.seamcheck.toml` and `--config`: a configuration is a few kilobytes.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;
/// `--baseline`: about 300 bytes a finding, so room for 200,000 findings.
pub const MAX_BASELINE_SIZE: u64 = 64 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Larger than the cap: (size, cap).
    TooLarge(u64, u64),
    /// Grew past the cap while it was read.
    Grew(u64),
    /// A directory, device, FIFO or socket.
    NotRegular,
    /// A symbolic link where none is followed.
    Link,
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge(len, max) => {
                write!(f, "{len} bytes, larger than the {max}-byte limit")
            }
            ReadError::Grew(max) => write!(f, "grew past the {max}-byte limit while being read"),
            ReadError::NotRegular => f.write_str("not a regular file"),
            ReadError::Link => f.write_str("a symbolic link, not followed"),
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        if is_link_error(&e) {
            ReadError::Link
        } else {
            ReadError::Io(e)
        }
    }
}

/// ELOOP (a link met with `O_NOFOLLOW` or `RESOLVE_NO_SYMLINKS`), and
/// EXDEV (`RESOLVE_BENEATH` refusing to leave the base).
fn is_link_error(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        let code = e.raw_os_error();
        code == Some(rustix::io::Errno::LOOP.raw_os_error())
            || code == Some(rustix::io::Errno::XDEV.raw_os_error())
            || code == Some(rustix::io::Errno::MLINK.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// A directory the user named; the files below it are untrusted.
#[derive(Debug)]
pub struct Base {
    pub path: PathBuf,
    /// The directory, opened once (links in `path` itself are followed:
    /// the user named it).
    #[cfg(unix)]
    fd: Option<rustix::fd::OwnedFd>,
}

impl Base {
    pub fn new(path: PathBuf) -> Arc<Self> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let dir = if path.as_os_str().is_empty() {
                Path::new(".")
            } else {
                path.as_path()
            };
            let fd = rustix::fs::open(
                dir,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .ok();
            Arc::new(Base { path, fd })
        }
        #[cfg(not(unix))]
        Arc::new(Base { path })
    }
}

/// Where a file of the repository is: a trusted base and the components
/// below it, as raw bytes (never a lossy conversion).
#[derive(Debug, Clone)]
pub struct Origin {
    pub base: Arc<Base>,
    /// Relative, plain components only (no `..`, no root).
    pub inner: PathBuf,
}

impl Origin {
    /// The file at `abs`, which is `base.path` joined with plain components
    /// (what a walk of `base.path` yields). `None` when it is not.
    pub fn below(base: &Arc<Base>, abs: &Path) -> Option<Origin> {
        let inner = abs.strip_prefix(&base.path).ok()?;
        let plain = inner
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        let inner: PathBuf = inner
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect();
        (plain && !inner.as_os_str().is_empty()).then(|| Origin {
            base: Arc::clone(base),
            inner,
        })
    }

    /// For display in notes and tests: base joined with inner.
    pub fn path(&self) -> PathBuf {
        self.base.path.join(&self.inner)
    }

    /// Opens the file without following a link, checks it is a regular
    /// file, and reads at most `max` bytes of it.
    pub fn read(&self, max: u64) -> Result<Vec<u8>, ReadError> {
        read_open(self.open()?, max)
    }

    fn open(&self) -> Result<File, ReadError> {
        #[cfg(unix)]
        {
            match &self.base.fd {
                Some(fd) => open_beneath(fd, &self.inner),
                None => {
                    let base = Base::new(self.base.path.clone());
                    match &base.fd {
                        Some(fd) => open_beneath(fd, &self.inner),
                        None => Err(ReadError::Io(io::Error::other(
                            "cannot open the audited directory",
                        ))),
                    }
                }
            }
        }
        #[cfg(not(unix))]
        {
            if std::fs::symlink_metadata(self.path())?
                .file_type()
                .is_symlink()
            {
                return Err(ReadError::Link);
            }
            Ok(File::open(self.path())?)
        }
    }
}

/// A file as analysis read it: where it is and a digest of its bytes, so
/// that a report drawing a snippet later reads the same file by the same
/// confined route and shows it only if its bytes are still those analysed.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub origin: Origin,
    len: u64,
    digest: u64,
}

impl Snapshot {
    pub fn new(origin: Origin, bytes: &[u8]) -> Self {
        Snapshot {
            origin,
            len: bytes.len() as u64,
            digest: digest(bytes),
        }
    }

    /// The bytes analysed, read again; `None` if the file changed since.
    pub fn read_again(&self) -> Option<Vec<u8>> {
        let bytes = self.origin.read(self.len).ok()?;
        (bytes.len() as u64 == self.len && digest(&bytes) == self.digest).then_some(bytes)
    }
}

fn digest(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

#[cfg(unix)]
fn open_beneath(base: &rustix::fd::OwnedFd, inner: &Path) -> Result<File, ReadError> {
    use rustix::fs::{Mode, OFlags};
    let last =
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::ResolveFlags;
        let how = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
        match rustix::fs::openat2(base, inner, last, Mode::empty(), how) {
            Ok(fd) => return Ok(File::from(fd)),
            // Older kernels and some seccomp profiles: the portable way.
            Err(e) if e == rustix::io::Errno::NOSYS || e == rustix::io::Errno::PERM => {}
            Err(e) => return Err(ReadError::from(io::Error::from(e))),
        }
    }
    let parts: Vec<&std::ffi::OsStr> = inner
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect();
    let Some((name, dirs)) = parts.split_last() else {
        return Err(ReadError::NotRegular);
    };
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut held: Option<rustix::fd::OwnedFd> = None;
    for d in dirs {
        let next = {
            let at: &rustix::fd::OwnedFd = held.as_ref().unwrap_or(base);
            rustix::fs::openat(at, *d, dir_flags, Mode::empty()).map_err(io::Error::from)?
        };
        held = Some(next);
    }
    let at: &rustix::fd::OwnedFd = held.as_ref().unwrap_or(base);
    let fd = rustix::fs::openat(at, *name, last, Mode::empty()).map_err(io::Error::from)?;
    Ok(File::from(fd))
}

/// Reads a file named on the command line: links followed, but it must be
/// a regular file of at most `max` bytes. A FIFO does not block the open.
pub fn read_trusted(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(
            (rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY).bits() as i32,
        );
    }
    read_open(options.open(path).map_err(ReadError::Io)?, max)
}

/// Checks the open file is regular and reads at most `max` bytes of it.
fn read_open(file: File, max: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let len = meta.len();
    if len > max {
        return Err(ReadError::TooLarge(len, max));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::Grew(max));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_below_the_base_is_not_followed() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let root = dir.path().join("repo");
        assert!(std::fs::create_dir_all(root.join("svc")).is_ok());
        assert!(std::fs::write(dir.path().join("secret"), "canary").is_ok());
        assert!(std::fs::write(root.join("svc/Dockerfile"), "FROM a\n").is_ok());
        #[cfg(unix)]
        {
            assert!(
                std::os::unix::fs::symlink(dir.path().join("secret"), root.join("svc/link"))
                    .is_ok()
            );
            assert!(std::os::unix::fs::symlink(dir.path(), root.join("up")).is_ok());
        }
        let base = Base::new(root.clone());
        let read = |rel: &str| Origin::below(&base, &root.join(rel)).map(|o| o.read(100));
        assert!(matches!(read("svc/Dockerfile"), Some(Ok(b)) if b == b"FROM a\n"));
        #[cfg(unix)]
        {
            assert!(matches!(read("svc/link"), Some(Err(ReadError::Link))));
            assert!(matches!(read("up/secret"), Some(Err(ReadError::Link))));
        }
        assert!(matches!(read("svc"), Some(Err(ReadError::NotRegular))));
        assert!(Origin::below(&base, &dir.path().join("secret")).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_neither_waited_on_nor_read() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let fifo = dir.path().join("Dockerfile");
        let made = rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        );
        assert!(made.is_ok());
        let base = Base::new(dir.path().to_path_buf());
        let origin = Origin::below(&base, &fifo).expect("below");
        // No writer: a blocking open would wait forever.
        assert!(matches!(origin.read(100), Err(ReadError::NotRegular)));
        assert!(matches!(
            read_trusted(&fifo, 100),
            Err(ReadError::NotRegular)
        ));
    }

    #[test]
    fn trusted_paths_are_capped_and_regular() {
        #[cfg(target_os = "linux")]
        {
            assert!(matches!(
                read_trusted(Path::new("/dev/zero"), 10),
                Err(ReadError::NotRegular)
            ));
        }
        let Ok(dir) = tempfile::tempdir() else { return };
        let p = dir.path().join("big");
        assert!(std::fs::write(&p, [b'a'; 20]).is_ok());
        assert!(matches!(
            read_trusted(&p, 10),
            Err(ReadError::TooLarge(20, 10))
        ));
        assert!(matches!(read_trusted(&p, 20), Ok(b) if b.len() == 20));
    }
}
