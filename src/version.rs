//! The version `--version` and the report's run metadata show: the package
//! version, and the commit it was built from when build.rs found one.

/// `0.1.0`.
pub const SHORT: &str = env!("CARGO_PKG_VERSION");

/// `0.1.0 (0123456789ab)` from a git checkout, else `0.1.0` (build.rs).
pub const LONG: &str = env!("SEAMCHECK_LONG_VERSION");
