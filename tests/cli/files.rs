//! Where realist writes: exports into FIFOs, devices, `/dev/stdout` and
//! through symbolic links (issue 19), leftovers of killed writes.
//!
//! Everything special here is made in the test's temporary folder (FIFOs
//! with `mkfifo`, device nodes with `mknod` when running as root, sockets
//! by binding one); the real `/dev` is never touched.

use std::path::Path;
use std::process::Command;

use crate::workdir::Workdir;

/// The lines of a codings file with each `"created":"…"` stamp blanked.
fn undated(text: &str) -> String {
    let stamp = regex::Regex::new(r#""created":"[^"]*""#).unwrap();
    stamp.replace_all(text, r#""created":"""#).into_owned()
}

/// Returns the file type of `path` itself (a link is not followed).
fn kind(path: &Path) -> std::fs::FileType {
    std::fs::symlink_metadata(path).unwrap().file_type()
}

/// Runs `program args…`; false when it cannot run or fails (no root for
/// `mknod`, say).
fn make(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

/// The quote table of the basic fixture as `export quotes` prints it.
fn export_text(wd: &Workdir) -> String {
    wd.code_add("ana", "Speed", &["fg-one:2"]);
    wd.run(&["export", "quotes"]).ok().to_string()
}

#[cfg(unix)]
#[test]
fn r19_an_export_into_a_fifo_or_a_device_is_written_into_it_and_leaves_it_be() {
    use std::os::unix::fs::FileTypeExt;
    let wd = Workdir::new("basic");
    let text = export_text(&wd);
    assert!(text.starts_with("# Quotes"), "{text}");

    // A FIFO: the export goes to whoever reads it; the FIFO stays.
    let fifo = wd.path("quotes.fifo");
    assert!(make("mkfifo", &[fifo.to_str().unwrap()]), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = wd.run(&["export", "quotes", "--format", "md", "--out", "quotes.fifo"]);
    if out.code != 0 {
        // Unblock the reader before failing.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
    }
    out.ok();
    // (Checked before joining: a reader of a replaced FIFO waits forever.)
    assert!(kind(&fifo).is_fifo(), "the FIFO was replaced");
    assert_eq!(reader.join().unwrap(), text);

    // A character device (a copy of /dev/null's node, root only): written
    // into, not replaced.
    let null = wd.path("null");
    if make("mknod", &[null.to_str().unwrap(), "c", "1", "3"]) {
        wd.run(&["export", "quotes", "--format", "md", "--out", "null"])
            .ok();
        assert!(kind(&null).is_char_device(), "the device was replaced");
        assert_eq!(std::fs::read(&null).unwrap(), b"");
    }

    // `/dev/stdout` is a link to /proc/self/fd/1: a link of our own to it
    // sends the export to stdout, and the link stays.
    #[cfg(target_os = "linux")]
    {
        let link = wd.path("stdout");
        std::os::unix::fs::symlink("/proc/self/fd/1", &link).unwrap();
        let out = wd.run(&["export", "quotes", "--format", "md", "--out", "stdout"]);
        assert_eq!(out.ok(), text);
        assert!(kind(&link).is_symlink(), "the link was replaced");
    }
}

#[cfg(unix)]
#[test]
fn r19_an_export_refuses_a_socket_or_a_block_device() {
    use std::os::unix::fs::FileTypeExt;
    let wd = Workdir::new("basic");
    export_text(&wd);
    let socket = wd.path("s.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    wd.fails_with(
        &["export", "quotes", "--format", "md", "--out", "s.sock"],
        &["s.sock is a socket, not a file"],
    );
    assert!(kind(&socket).is_socket(), "the socket was replaced");
    // A block device node with no driver behind it (root only).
    let disk = wd.path("disk");
    if make("mknod", &[disk.to_str().unwrap(), "b", "240", "0"]) {
        wd.fails_with(
            &["export", "quotes", "--format", "md", "--out", "disk"],
            &["disk is a block device, not a file"],
        );
        assert!(kind(&disk).is_block_device(), "the device was replaced");
    }
}

#[cfg(unix)]
#[test]
fn r19_an_export_through_a_symlink_writes_the_file_it_points_to() {
    let wd = Workdir::new("basic");
    let text = export_text(&wd);
    let symlink = |target: &str, link: &str| {
        std::os::unix::fs::symlink(target, wd.path(link)).unwrap();
    };

    // A link to a file: the file gets the export, the link stays.
    wd.write("exports/real.md", "earlier export\n");
    symlink("exports/real.md", "latest.md");
    wd.run(&["export", "quotes", "--out", "latest.md"]).ok();
    assert!(
        kind(&wd.path("latest.md")).is_symlink(),
        "the link was replaced"
    );
    assert_eq!(wd.read("exports/real.md"), text);
    // A link to a file not there yet: the file is made where it points.
    symlink("exports/new.md", "next.md");
    wd.run(&["export", "quotes", "--out", "next.md"]).ok();
    assert!(
        kind(&wd.path("next.md")).is_symlink(),
        "the link was replaced"
    );
    assert_eq!(wd.read("exports/new.md"), text);

    // A link to the project's own files is refused like the files are.
    wd.write("pseudonyms.csv", "name,pseudonym\nKayleigh,Jade\n");
    symlink("pseudonyms.csv", "key.md");
    wd.fails_with(
        &["export", "quotes", "--out", "key.md"],
        &["--out key.md would replace the pseudonym key"],
    );
    symlink("codings/ana.jsonl", "ana.md");
    wd.fails_with(
        &["export", "quotes", "--out", "ana.md"],
        &["--out ana.md would replace the coder files' folder"],
    );
    assert_eq!(wd.read("pseudonyms.csv"), "name,pseudonym\nKayleigh,Jade\n");
    assert!(wd.read("codings/ana.jsonl").starts_with("{\"id\""));
    assert!(kind(&wd.path("key.md")).is_symlink());
}

/// Makes `rel` a leftover temporary file last written `age` ago.
fn leftover(wd: &Workdir, rel: &str, age: std::time::Duration) -> std::fs::File {
    wd.write(rel, "{\"half\": \"written");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(wd.path(rel))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() - age).unwrap();
    f
}

#[test]
fn r19_leftovers_of_killed_writes_are_cleaned_on_the_next_write_unless_a_writer_holds_them() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2"]);
    let hour = std::time::Duration::from_secs(3600);
    // Killed an hour ago; and one named like a coder file.
    leftover(&wd, "codings/.realist-tmp-dead01", hour);
    leftover(&wd, "codings/.realist-tmp-dead02.jsonl", hour);
    // Still being written: by a process that holds its lock, or just now.
    let live = leftover(&wd, "codings/.realist-tmp-live01", hour);
    live.lock().unwrap();
    leftover(
        &wd,
        "codings/.realist-tmp-new001",
        std::time::Duration::ZERO,
    );
    // Leftovers are never coders.
    let out = wd.run(&["codings"]);
    assert!(
        out.ok().ends_with("1 coding by 1 coder in 1 document\n"),
        "{}",
        out.stdout
    );

    wd.code_add("ana", "Trust", &["fg-one:3"]);
    let mut left: Vec<String> = std::fs::read_dir(wd.path("codings"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".realist-tmp-live01", ".realist-tmp-new001", "ana.jsonl"]
    );
    // Once its writer is gone, the locked one goes too.
    drop(live);
    wd.code_add("ana", "Trust", &["fg-one:4"]);
    assert!(!wd.path("codings/.realist-tmp-live01").exists());
    assert!(wd.path("codings/.realist-tmp-new001").exists());
}

/// Returns the audit trail without its last line, a `done`: as a run
/// killed before writing it left it.
fn killed_before_done(wd: &Workdir) -> String {
    let trail = wd.read("consensus/final.jsonl");
    let body = trail.strip_suffix('\n').unwrap();
    let (kept, last) = body.rsplit_once('\n').unwrap();
    assert!(last.starts_with("{\"event\":\"done\""), "{last}");
    format!("{kept}\n")
}

#[test]
fn r19_a_reconcile_or_decide_killed_half_way_is_completed_by_the_next_one() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2", "fg-one:4"]);
    wd.code_add("ben", "Speed", &["fg-one:2", "int-two:2"]);
    wd.code_add("ana", "Speed", &["int-two:2"]);
    let reconcile = ["reconcile", "--coders", "ana,ben", "--into", "final"];
    wd.run(&reconcile).ok();
    let carried = wd.read("codings/final.jsonl");
    assert_eq!(carried.lines().count(), 2);

    // A first reconcile killed after its trail, before the consensus
    // coder's file: the next one writes the file (rather than refusing a
    // coder "with codings of their own" or carrying nothing).
    let trail = killed_before_done(&wd);
    wd.write("consensus/final.jsonl", &trail);
    std::fs::remove_file(wd.path("codings/final.jsonl")).unwrap();
    let dry = wd.run(&["reconcile", "--into", "final", "--dry-run", "--json"]);
    assert!(
        dry.stderr.contains("a real run completes it first"),
        "{}",
        dry.stderr
    );
    assert_eq!(dry.json_lines()[0]["recovered"], true);
    assert_eq!(dry.json_lines()[0]["missing"], 0);
    assert!(!wd.path("codings/final.jsonl").exists());
    let out = wd.run(&reconcile);
    out.ok();
    assert!(
        out.stderr.contains(
            "an earlier run on 'final' was stopped between writing consensus/final.jsonl and codings/final.jsonl; completed it first from the audit trail"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(wd.read("codings/final.jsonl"), carried);
    let now = wd.read("consensus/final.jsonl");
    let added: Vec<&str> = now.strip_prefix(&trail).unwrap().lines().collect();
    assert!(added[0].starts_with("{\"event\":\"done\""), "{now}");
    assert!(added[0].ends_with(",\"recovered\":true}"), "{now}");
    assert!(added[1].starts_with("{\"event\":\"reconcile\""), "{now}");
    assert_eq!(added.len(), 2, "{now}");

    // A decision killed after its trail: deciding it again for neither
    // leaves no orphan of the first decision in the consensus.
    let decide = |keep: &str, by: &str| {
        wd.run(&["decide", "D1", "--keep", keep, "--by", by]).ok();
    };
    decide("ana", "carol");
    let decided = wd.read("codings/final.jsonl");
    assert_eq!(decided.lines().count(), 3);
    wd.write("consensus/final.jsonl", killed_before_done(&wd));
    wd.write("codings/final.jsonl", &carried);
    let out = wd.run(&["decide", "D1", "--keep", "neither", "--by", "dan"]);
    assert!(
        out.ok().contains("0 consensus codings added, 1 removed"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("completed it first"), "{}", out.stderr);
    assert_eq!(wd.read("codings/final.jsonl"), carried);

    // Killed after the file, before `done`: nothing left but to say so.
    // (The second decision is stamped with its own time: compare the
    // codings without their `created` stamps.)
    decide("ana", "carol");
    let decided = undated(&decided);
    assert_eq!(undated(&wd.read("codings/final.jsonl")), decided);
    wd.write("consensus/final.jsonl", killed_before_done(&wd));
    let out = wd.run(&reconcile);
    assert!(out.stderr.contains("completed it first"), "{}", out.stderr);
    assert_eq!(undated(&wd.read("codings/final.jsonl")), decided);
    let out = wd.run(&reconcile);
    assert!(!out.stderr.contains("completed"), "{}", out.stderr);
}
