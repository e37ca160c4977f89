//! Test data: fixtures a repository keeps for its own tests (`testdata/`,
//! `__snapshots__/`, `golden/`, `*.golden.*`) are inputs to that project's
//! tests, often broken on purpose, never deployed. They are skipped by
//! default with one summary note; `--include-test-data` (or `[paths]
//! include-test-data = true`) audits them.

/// Directory names that hold test data.
pub const TEST_DATA_DIRS: &[&str] = &["testdata", "__snapshots__", "golden"];

/// Whether a report path (relative, `/`-separated) is test data.
pub fn is_test_data(rel: &str) -> bool {
    let mut parts = rel.split('/');
    let name = parts.next_back().unwrap_or("");
    parts.any(|dir| TEST_DATA_DIRS.contains(&dir)) || name.contains(".golden.")
}

/// The summary note's text for `count` skipped files.
pub fn summary(count: usize) -> String {
    let files = if count == 1 { "file" } else { "files" };
    format!(
        "{count} {files} of test data skipped (directories `testdata`, `__snapshots__`, `golden`, files `*.golden.*`); `--include-test-data` audits them"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_data_paths() {
        assert!(is_test_data("pkg/testdata/svc.yaml"));
        assert!(is_test_data("testdata/svc.yaml"));
        assert!(is_test_data("ui/__snapshots__/a.yaml"));
        assert!(is_test_data("x/golden/deploy.yaml"));
        assert!(is_test_data("out/gateway.golden.yaml"));
        assert!(!is_test_data("testdata.yaml"));
        assert!(!is_test_data("app/test/deploy.yaml"));
        assert!(!is_test_data("goldenapp/deploy.yaml"));
    }
}
