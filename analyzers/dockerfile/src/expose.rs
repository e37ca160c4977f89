//! `EXPOSE` port forms beyond `PORT[/PROTO]`.
//!
//! BuildKit reads each EXPOSE word with Docker's `nat.ParsePortSpecs`, which
//! also takes the `docker run -p` forms `HOST:CONTAINER` and
//! `IP:HOST:CONTAINER` (`[::1]:8080:80` for IPv6): the image then exposes the
//! container port, and the host part is dropped, since an image cannot
//! publish host ports.

/// The container part of a port spec written without its protocol:
/// `8080:80` -> `80`; `Some(host part)` says the mapped form was used.
pub fn container_part(ports: &str) -> (&str, Option<&str>) {
    match ports.rsplit_once(':') {
        Some((host, container)) => (container, Some(host)),
        None => (ports, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_container_port_is_the_last_part() {
        assert_eq!(container_part("80"), ("80", None));
        assert_eq!(container_part("8080:80"), ("80", Some("8080")));
        assert_eq!(
            container_part("127.0.0.1:8080:80"),
            ("80", Some("127.0.0.1:8080"))
        );
        assert_eq!(container_part("[::1]:8080:80"), ("80", Some("[::1]:8080")));
        assert_eq!(
            container_part("8000-8001:80-81"),
            ("80-81", Some("8000-8001"))
        );
    }
}
