//! CLI integration tests: each runs the real `realist` binary on a copy of a
//! fixture project in a temporary folder, with a cleared environment.
//!
//! To add a test: pick the module named after the subcommand, copy the
//! fixture with `Workdir::new("basic")`, run `wd.run(&[...])` and assert on
//! stdout, stderr and the exit code. For a command that must fail, write
//! `wd.fails_with(&[...args], &[...parts of the message])`: every failure
//! goes through `Output::fails`, which also checks the test's golden error file.

mod agree;
mod anchor;
mod attribution;
mod cases;
mod codebook;
mod coding;
mod consensus;
mod corpus;
mod docs;
mod done;
mod export;
mod files;
mod golden;
mod index;
mod init;
mod key;
mod layout;
mod limits;
mod logic_model;
mod names;
mod project;
mod search;
mod show;
mod state;
mod terminal;
mod unicode;
mod workdir;
