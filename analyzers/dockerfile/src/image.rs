//! Image references: `[registry[:port]/]path[:tag][@digest]`.

/// Repository, tag and digest of a reference as written.
pub fn split_reference(raw: &str) -> (String, Option<String>, Option<String>) {
    let (name, digest) = match raw.split_once('@') {
        Some((n, d)) => (n, Some(d.to_string())),
        None => (raw, None),
    };
    // A `:` after the last `/` is the tag; one before it is a registry port.
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let tail = name.get(last_slash..).unwrap_or("");
    match tail.rfind(':') {
        Some(i) => {
            let cut = last_slash + i;
            let repo = name.get(..cut).unwrap_or(name).to_string();
            let tag = name.get(cut + 1..).unwrap_or("").to_string();
            (repo, Some(tag), digest)
        }
        None => (name.to_string(), None, digest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn references() {
        assert_eq!(
            split_reference("python:3.12-slim"),
            ("python".into(), s("3.12-slim"), None)
        );
        assert_eq!(split_reference("scratch"), ("scratch".into(), None, None));
        assert_eq!(
            split_reference("localhost:5000/team/app:1.2"),
            ("localhost:5000/team/app".into(), s("1.2"), None)
        );
        assert_eq!(
            split_reference("gcr.io/distroless/python3@sha256:abc"),
            ("gcr.io/distroless/python3".into(), None, s("sha256:abc"))
        );
        assert_eq!(
            split_reference("node:20@sha256:abc"),
            ("node".into(), s("20"), s("sha256:abc"))
        );
        assert_eq!(
            split_reference("registry:5000/app"),
            ("registry:5000/app".into(), None, None)
        );
    }
}
