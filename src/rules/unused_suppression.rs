//! ## What it does
//! Reports inline suppression comments (`seamcheck: ignore[rule-id] -- reason`)
//! that silence nothing: no finding of the named rule starts on the line the
//! comment covers, the rule ID does not exist, the comment is malformed, or
//! the configuration does not honour it (`[suppressions] allow = false`, or
//! `require-reason = true` and no `-- reason` is given). A comment naming
//! only rules that did not run (`--select`, `--ignore`, `"off"`) is not
//! reported.
//!
//! ## Why it matters
//! A stale suppression hides the next real problem on that line, and a
//! mistyped rule ID suppresses nothing while looking as if it did.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     # seamcheck: ignore[missing-resource] -- batch job, sized by the scheduler
//!     image: shop/web:1.4.2
//! ```
//! The rule is `missing-resources`: the comment silences nothing.
//!
//! ## How to fix
//! Fix the rule ID, move the comment to the end of the finding's line or
//! alone on the line directly above it (always above in a Dockerfile), or
//! delete it when the problem it silenced is gone.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "unused-suppression",
    Note,
    "an inline suppression comment silences no finding"
);

/// The notes are made after every other rule ran, when seamcheck knows which
/// comments silenced something (`crate::suppress`); nothing to do here.
pub fn check(_cx: &Model<'_>, _out: &mut Vec<Finding>) {}
