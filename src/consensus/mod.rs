//! Consensus coding: two or more coders reconciled into a consensus coder,
//! with an audit trail of every decision.
//!
//! `reconcile` groups, per document and code, the coders' codings into
//! *passages*: codings that touch a common unit (for the `char` unit, that
//! overlap) belong to one passage. Where every coder coded the passage and
//! covered the same units, the coders agree and the union of their spans is
//! carried over to the consensus coder. Otherwise the passage becomes an
//! open *decision*; `decide` keeps some coders' version of it (the union of
//! their spans) or none. The coders' own files are never changed.
//!
//! The audit trail is `consensus/<name>.jsonl`, one [`Event`] per line,
//! only ever appended to: what was carried over, each decision opened, made
//! (by whom, why, what it added and removed) or withdrawn. The current state
//! is derived by replaying it. A passage is known by a key (a hash of the
//! document, code, unit and every coder's coding ids and quotes in it, so
//! an edit elsewhere that only moves codings keeps it), so reconciling again after
//! a coder changed their work opens decisions only for passages that are
//! new, keeps decisions already made, and withdraws open decisions whose
//! passage no longer exists.
//!
//! The trail is written before the consensus coder's file, with the change
//! the file is to get (an `intent`, marked `done` once written), so the
//! next run completes a run killed in between (`commit.rs`).

mod commit;
mod decide;
mod passage;
mod reconcile;
mod trail;

pub use decide::{Decided, Keep, decide};
pub use reconcile::{Reconciled, coders_for, reconcile};
pub use trail::{Decision, Event, Status, Trail, Version, names};

#[cfg(test)]
mod tests;
