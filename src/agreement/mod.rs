//! Agreement between coders: the coefficients, computed exactly.
//!
//! [`coefficients`] has percent agreement, Cohen's and Fleiss' kappa and
//! Krippendorff's alpha for coded units; [`unitizing`] has Krippendorff's
//! unitizing alphas for continuous text. Each is checked in its unit tests
//! against published worked examples. [`units`] cuts transcripts into the
//! units coders are compared on; [`compare`] compares them (`realist
//! agree`), [`disagreements`] lists where they differ.

pub mod coefficients;
pub mod compare;
pub mod disagreements;
pub mod ratio;
pub mod unitizing;
pub mod units;

pub use coefficients::{Binary, Coefficient};
pub use ratio::Ratio;
