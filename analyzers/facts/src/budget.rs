//! The work budget of one file. Analyzers are linear or n·log n in their
//! own code, but some work they drive is not theirs to bound (a grammar's
//! lexer that rescans to the end of the file for every token, variable
//! expansion that doubles a value per line). Such work is counted in steps,
//! and a file that uses up its budget is not analyzed further: a note says
//! "analysis stopped after N steps" and the rest of the audit goes on, so a
//! pathological file costs bounded time instead of stalling the audit.

use crate::{Location, SkipNote};

/// Steps allowed per byte of the file, on top of [`BASE_STEPS`]. Ordinary
/// files use a few steps per byte (a tree-sitter lexer reads most bytes two
/// or three times); the factor leaves a wide margin for them and still
/// bounds a quadratic case to a small multiple of a linear pass.
pub const STEPS_PER_BYTE: usize = 32;

/// Steps every file may use whatever its size.
pub const BASE_STEPS: usize = 1 << 20;

/// The budget of a file of `len` bytes.
pub fn for_len(len: usize) -> usize {
    len.saturating_mul(STEPS_PER_BYTE)
        .saturating_add(BASE_STEPS)
}

/// The note of a file whose analysis stopped after `steps` steps; `what`
/// says what was cut short and what follows from it.
pub fn stopped_note(steps: usize, what: &str, loc: Location) -> SkipNote {
    SkipNote {
        message: format!("analysis stopped after {steps} steps: {what}"),
        loc,
    }
}
