//! Writing files safely.
//!
//! Every file realist writes goes through [`write_atomic`]. A regular file
//! (or one not there yet) is written to a temporary file in the same folder
//! and renamed over the target, so a crash or a full disk never leaves a
//! half-written file behind. The file keeps the permissions it had; a new
//! file gets the usual ones (on Unix, read-write for everyone the umask
//! allows), not the owner-only permissions of a temporary file.
//!
//! Only a regular file is ever renamed over. A symbolic link is followed
//! and the file it points to is written that way, the link kept; a FIFO, a
//! character device (`/dev/null`, a terminal) or an open file named by a
//! link in `/proc` (`/dev/stdout`) is written into directly, where the
//! reader is; a block device or a socket is refused ([`Destination`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Holds an exclusive lock on a file while alive (released on drop, and by
/// the operating system if the process dies).
#[derive(Debug)]
pub struct Lock(std::fs::File);

/// Takes the exclusive lock on `path` (created if missing), waiting while
/// another process holds it.
pub fn lock(path: &Path) -> Result<Lock> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    file.lock().map_err(|e| Error::io(path, e))?;
    Ok(Lock(file))
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Appends one JSON line per item of `records` to the JSON Lines file
/// `path` (created if missing, with its folder), atomically: the old
/// content and the new lines are written to a temporary file that replaces
/// it, so an append-only trail is never left half-written.
pub fn append_json_lines<T: serde::Serialize>(path: &Path, records: &[T]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let mut text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, e)),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for r in records {
        let line =
            serde_json::to_string(r).map_err(|e| Error::io(path, std::io::Error::other(e)))?;
        text.push_str(&line);
        text.push('\n');
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    write_atomic(path, text.as_bytes())
}

/// Where a write to a path lands, as [`destination`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A regular file, or none yet, at this path (the end of any chain of
    /// symbolic links): written atomically.
    File(PathBuf),
    /// A FIFO, a character device, or an open file named by a link in
    /// `/proc` (`/dev/stdout`), through this path (the one given): written
    /// into directly, appending, never replaced.
    Stream(PathBuf),
}

impl Destination {
    /// Returns the path written: the file at the end of the links, or the
    /// stream's path as given.
    pub fn path(&self) -> &Path {
        match self {
            Destination::File(p) | Destination::Stream(p) => p,
        }
    }
}

/// How many symbolic links [`destination`] follows (Linux's limit).
const MAX_LINKS: usize = 40;

/// Returns where writing to `path` lands: follows symbolic links to the
/// file they name (or would create), and tells a stream (FIFO, character
/// device, `/dev/stdout`) from a file. A block device, a socket or a
/// folder is an error, as is a loop of links.
pub fn destination(path: &Path) -> Result<Destination> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Destination::File(p));
            }
            Err(e) => return Err(Error::io(&p, e)),
        };
        let kind = meta.file_type();
        if kind.is_file() {
            return Ok(Destination::File(p));
        }
        if kind.is_symlink() {
            // A link in /proc (what /dev/stdout and /dev/fd/N lead to)
            // names an open file, not a path: only the kernel can follow it.
            if in_proc(&p) {
                return Ok(Destination::Stream(path.to_path_buf()));
            }
            let target = std::fs::read_link(&p).map_err(|e| Error::io(&p, e))?;
            p = match p.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            continue;
        }
        return match special(&kind) {
            Ok(()) => Ok(Destination::Stream(path.to_path_buf())),
            Err(kind) => Err(Error::NotAFile {
                path: path.to_path_buf(),
                kind,
            }),
        };
    }
    Err(Error::io(
        path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

/// Returns whether `p`'s folder is under `/proc`.
fn in_proc(p: &Path) -> bool {
    p.parent()
        .and_then(|d| d.canonicalize().ok())
        .is_some_and(|d| d.starts_with("/proc"))
}

/// Returns `Ok` for a kind of file written into directly (a FIFO, a
/// character device), else what it is.
#[cfg(unix)]
fn special(kind: &std::fs::FileType) -> std::result::Result<(), &'static str> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() || kind.is_char_device() {
        Ok(())
    } else if kind.is_block_device() {
        Err("block device")
    } else if kind.is_socket() {
        Err("socket")
    } else if kind.is_dir() {
        Err("folder")
    } else {
        Err("special file")
    }
}

/// Returns `Ok` for a kind of file written into directly, else what it is.
#[cfg(not(unix))]
fn special(kind: &std::fs::FileType) -> std::result::Result<(), &'static str> {
    if kind.is_dir() { Err("folder") } else { Ok(()) }
}

/// Writes `bytes` to `path`: atomically (temporary file, then rename) when
/// it is a regular file or not there yet; through a symbolic link, to the
/// file it points to, keeping the link; directly into a FIFO or a character
/// device. See [`destination`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_to(&destination(path)?, bytes)
}

/// Writes `bytes` to `dest` as [`write_atomic`] does.
pub fn write_to(dest: &Destination, bytes: &[u8]) -> Result<()> {
    match dest {
        Destination::File(path) => replace(path, bytes),
        Destination::Stream(path) => {
            // Appending: a regular file behind /dev/stdout that the shell
            // opened with `>>` keeps what it had.
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            f.write_all(bytes).map_err(|e| Error::io(path, e))?;
            f.flush().map_err(|e| Error::io(path, e))
        }
    }
}

/// Replaces the regular file `path` (or creates it) atomically.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "folder does not exist"),
        ));
    }
    clean_stale(dir);
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(TMP_PREFIX).rand_bytes(12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666 less the umask, as any new file would be.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    // Held while writing, so that another process's [`clean_stale`] leaves
    // this file alone however long the write takes (released by the
    // operating system if this process is killed).
    let _ = tmp.as_file().lock();
    if let Some(p) = existing {
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // Unlocked before the rename (a lock on Windows would keep readers of
    // the new file out); the file was just written, so it is not stale.
    let _ = tmp.as_file().unlock();
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// How the temporary files of [`write_atomic`] begin.
pub const TMP_PREFIX: &str = ".realist-tmp-";

/// How long a temporary file must have gone unwritten, and unlocked, to be
/// stale: longer than any pause between creating it and locking it.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// How long it must have gone unwritten where files cannot be locked.
const STALE_UNLOCKABLE: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// Removes the temporary files a killed write left in `dir`: those no live
/// writer holds locked and nobody has written for [`STALE_AFTER`] (or, on
/// a file system without locks, for a day). Best effort: a file that
/// cannot be checked or removed stays, and nothing here fails a write.
fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TMP_PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            remove_if_stale(&entry.path());
        }
    }
}

/// Removes the temporary file `path` if it is stale.
fn remove_if_stale(path: &Path) {
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    let idle = file
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    let Some(idle) = idle else {
        return;
    };
    let stale = match file.try_lock() {
        Ok(()) => idle >= STALE_AFTER,
        Err(std::fs::TryLockError::WouldBlock) => false,
        Err(std::fs::TryLockError::Error(_)) => idle >= STALE_UNLOCKABLE,
    };
    if stale {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        write_atomic(&path, b"one").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // A new file gets what any new file gets here (0666 less the
        // umask), not the owner-only mode of a temporary file.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        assert_eq!(mode(&path), mode(&plain));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(mode(&path), 0o664);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_kept_and_a_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.jsonl");
        std::fs::write(&real, b"one").unwrap();
        // Two links, the first relative.
        let far = dir.path().join("far.jsonl");
        std::os::unix::fs::symlink(&real, &far).unwrap();
        let near = dir.path().join("near.jsonl");
        std::os::unix::fs::symlink("far.jsonl", &near).unwrap();
        assert_eq!(destination(&near).unwrap(), Destination::File(real.clone()));
        write_atomic(&near, b"two").unwrap();
        assert!(std::fs::symlink_metadata(&near).unwrap().is_symlink());
        assert!(std::fs::symlink_metadata(&far).unwrap().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"two");
        // A link to nothing yet: the file is made where it points.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink("made.jsonl", &dangling).unwrap();
        write_atomic(&dangling, b"new").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("made.jsonl")).unwrap(),
            b"new"
        );
        // A loop of links.
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        let err = write_atomic(&a, b"x").unwrap_err().to_string();
        assert!(err.contains("too many levels of symbolic links"), "{err}");
        // A folder is not a file.
        assert!(matches!(
            destination(dir.path()),
            Err(Error::NotAFile { kind: "folder", .. })
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn dev_stdout_is_a_stream() {
        assert_eq!(
            destination(Path::new("/dev/stdout")).unwrap(),
            Destination::Stream("/dev/stdout".into())
        );
    }

    #[test]
    fn missing_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(&dir.path().join("no/a.json"), b"x").unwrap_err();
        assert!(err.to_string().contains("folder does not exist"));
    }
}
