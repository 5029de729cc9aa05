//! Changing the consensus coder's file and the audit trail together, so
//! that a run killed half-way is completed by the next one.
//!
//! A run that changes the consensus coder's file (`reconcile` carrying
//! passages over, `decide`) writes in three steps, each atomic:
//!
//! 1. the audit trail gains an `intent` (the consensus codings the file
//!    gains, whole, and the ids it loses) followed by the run's own events;
//! 2. the consensus coder's file is written;
//! 3. the trail gains `done`.
//!
//! The next `reconcile` or `decide` first looks for an intent that is not
//! done ([`recover`]): it makes the file hold what the intent says (adding
//! the codings it lacks, removing those it still has) and appends `done`
//! marked as recovered. Killed after step 1, the run is completed; after
//! step 2, only marked done. Either way the trail's events and the file
//! agree again, so the consensus never holds a coding the trail does not
//! know of (an orphan no later decision would remove), and a first
//! reconcile is never refused for codings it wrote itself.

use std::collections::{HashMap, HashSet};

use super::trail::{Event, Trail};
use crate::coding::{CoderFile, Coding, store};
use crate::error::Result;
use crate::project::Project;

/// A step of writing a change, after which a test may simulate a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// The intent and the run's events are on the trail.
    Trail,
    /// The consensus coder's file is written.
    File,
}

#[cfg(test)]
thread_local! {
    /// The step after which the next write stops, as if killed (tests only).
    pub(super) static CRASH_AFTER: std::cell::Cell<Option<Step>> = const { std::cell::Cell::new(None) };
}

/// Stops here, as if the process were killed, when a test asks for it.
fn crash_after(step: Step) -> Result<()> {
    #[cfg(test)]
    if CRASH_AFTER.with(|c| c.get()) == Some(step) {
        return Err(crate::error::Error::io(
            std::path::Path::new("(test)"),
            std::io::Error::other(format!("simulated crash after {step:?}")),
        ));
    }
    let _ = step;
    Ok(())
}

/// Returns whether consensus coder `name` has a file yet.
fn exists(project: &Project, name: &str) -> bool {
    project
        .codings_dir()
        .join(format!("{name}.jsonl"))
        .is_file()
}

/// Lets `plan` change consensus coder `name`'s file (under its lock) and
/// return its result and the run's events, then writes both recoverably
/// (see the module docs): the intent with the events, the file, `done`.
/// When the file does not change (and exists), only the events are
/// appended.
pub(super) fn commit<T>(
    project: &Project,
    name: &str,
    trail: &mut Trail,
    at: &str,
    plan: impl FnOnce(&mut CoderFile) -> Result<(T, Vec<Event>)>,
) -> Result<T> {
    let existed = exists(project, name);
    let (result, _) = store::update(project, name, |file| {
        // Compared whole: a decision made again may replace a coding by
        // one with the same id and a later `created`.
        let before: HashMap<String, Coding> = file
            .codings
            .iter()
            .map(|c| (c.id.clone(), c.clone()))
            .collect();
        let (result, events) = plan(file)?;
        let after: HashMap<&str, &Coding> =
            file.codings.iter().map(|c| (c.id.as_str(), c)).collect();
        let add: Vec<Coding> = file
            .codings
            .iter()
            .filter(|c| before.get(&c.id) != Some(*c))
            .cloned()
            .collect();
        let mut remove: Vec<String> = before
            .iter()
            .filter(|(id, c)| after.get(id.as_str()) != Some(c))
            .map(|(id, _)| id.clone())
            .collect();
        remove.sort();
        let changed = !add.is_empty() || !remove.is_empty() || !existed;
        let mut all = Vec::with_capacity(events.len() + 1);
        if changed {
            all.push(Event::Intent {
                add,
                remove,
                at: at.to_string(),
            });
        }
        all.extend(events);
        trail.append(project, all)?;
        crash_after(Step::Trail)?;
        Ok(((result, changed), changed))
    })?;
    let (result, changed) = result;
    if changed {
        crash_after(Step::File)?;
        trail.append(
            project,
            vec![Event::Done {
                at: at.to_string(),
                recovered: false,
            }],
        )?;
    }
    Ok(result)
}

/// Completes the change of the trail's last intent if it is not done:
/// makes consensus coder `name`'s file hold it and appends `done`. Returns
/// whether there was one. Called under the consensus lock.
pub(super) fn recover(project: &Project, name: &str, trail: &mut Trail, at: &str) -> Result<bool> {
    let Some((add, remove)) = trail.pending() else {
        return Ok(false);
    };
    let (add, remove) = (add.to_vec(), remove.to_vec());
    let existed = exists(project, name);
    store::update(project, name, |file| {
        let changed = apply(file, &add, &remove);
        Ok(((), changed || !existed))
    })?;
    trail.append(
        project,
        vec![Event::Done {
            at: at.to_string(),
            recovered: true,
        }],
    )?;
    Ok(true)
}

/// Makes `file` hold an intent's change: removes the codings whose id is
/// in `remove`, then adds each coding of `add` whose id it lacks (a coding
/// replaced by one with the same id is in both). Returns whether it
/// changed.
pub(super) fn apply(file: &mut CoderFile, add: &[Coding], remove: &[String]) -> bool {
    let before = file.codings.len();
    file.codings.retain(|c| !remove.contains(&c.id));
    let mut changed = file.codings.len() != before;
    let have: HashSet<String> = file.codings.iter().map(|c| c.id.clone()).collect();
    for c in add.iter().filter(|c| !have.contains(&c.id)) {
        file.codings.push(c.clone());
        changed = true;
    }
    changed
}
