//! Compiled programs of the image (`/app/server`, `./api`) and nginx.

use super::{Env, Launch};
use crate::Located;

/// `None` when `program` is not one of this module's launchers.
pub(super) fn launch(
    program: &str,
    first: &Located<String>,
    rest: &[Located<String>],
    env: &Env<'_>,
) -> Option<Launch> {
    let _ = (program, first, rest, env);
    None
}
