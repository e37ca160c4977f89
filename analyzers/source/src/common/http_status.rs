//! HTTP status names and their codes, for every language: frameworks name
//! statuses after the IANA reason phrase, as a constant (`SERVICE_UNAVAILABLE`:
//! Spring, JAX-RS, NestJS, Python's `HTTPStatus`, Rust's `http::StatusCode`)
//! or in CamelCase (`ServiceUnavailable`: .NET's `HttpStatusCode`, Go's
//! `http.StatusServiceUnavailable`, actix, rocket). One table holds every
//! spelling; the lookups differ only in how a name is written.

/// Constant spellings and their codes. Some codes have several spellings:
/// the current IANA phrase and the older or framework-specific one (413
/// `PAYLOAD_TOO_LARGE` / Go's `REQUEST_ENTITY_TOO_LARGE`, 418 `IM_A_TEAPOT` /
/// Go's `TEAPOT`, 422 `UNPROCESSABLE_ENTITY` / `UNPROCESSABLE_CONTENT`).
pub const STATUSES: &[(&str, u16)] = &[
    ("CONTINUE", 100),
    ("SWITCHING_PROTOCOLS", 101),
    ("OK", 200),
    ("CREATED", 201),
    ("ACCEPTED", 202),
    ("NON_AUTHORITATIVE_INFORMATION", 203),
    ("NON_AUTHORITATIVE_INFO", 203),
    ("NO_CONTENT", 204),
    ("RESET_CONTENT", 205),
    ("PARTIAL_CONTENT", 206),
    ("MULTIPLE_CHOICES", 300),
    ("MOVED_PERMANENTLY", 301),
    ("FOUND", 302),
    ("MOVED_TEMPORARILY", 302),
    ("SEE_OTHER", 303),
    ("NOT_MODIFIED", 304),
    ("TEMPORARY_REDIRECT", 307),
    ("PERMANENT_REDIRECT", 308),
    ("BAD_REQUEST", 400),
    ("UNAUTHORIZED", 401),
    ("PAYMENT_REQUIRED", 402),
    ("FORBIDDEN", 403),
    ("NOT_FOUND", 404),
    ("METHOD_NOT_ALLOWED", 405),
    ("NOT_ACCEPTABLE", 406),
    ("REQUEST_TIMEOUT", 408),
    ("CONFLICT", 409),
    ("GONE", 410),
    ("PRECONDITION_FAILED", 412),
    ("PAYLOAD_TOO_LARGE", 413),
    ("REQUEST_ENTITY_TOO_LARGE", 413),
    ("UNSUPPORTED_MEDIA_TYPE", 415),
    ("IM_A_TEAPOT", 418),
    ("TEAPOT", 418),
    ("UNPROCESSABLE_ENTITY", 422),
    ("UNPROCESSABLE_CONTENT", 422),
    ("LOCKED", 423),
    ("TOO_MANY_REQUESTS", 429),
    ("INTERNAL_SERVER_ERROR", 500),
    ("NOT_IMPLEMENTED", 501),
    ("BAD_GATEWAY", 502),
    ("SERVICE_UNAVAILABLE", 503),
    ("GATEWAY_TIMEOUT", 504),
];

/// A status written as a constant: `SERVICE_UNAVAILABLE` -> 503.
pub fn by_constant(name: &str) -> Option<u16> {
    STATUSES
        .iter()
        .find(|(constant, _)| *constant == name)
        .map(|(_, code)| *code)
}

/// A status written in CamelCase (`ServiceUnavailable`, `Ok`) or, as .NET's
/// `HttpStatusCode.OK` and Go's `StatusOK` do, as the constant.
pub fn by_camel(name: &str) -> Option<u16> {
    by_constant(name).or_else(|| {
        STATUSES
            .iter()
            .find(|(constant, _)| is_camel_of(name, constant))
            .map(|(_, code)| *code)
    })
}

/// `ServiceUnavailable` is the CamelCase of `SERVICE_UNAVAILABLE`: each word
/// capitalised, the rest lower case, no separators.
fn is_camel_of(name: &str, constant: &str) -> bool {
    let mut rest = name;
    for word in constant.split('_') {
        let Some(first) = word.get(..1) else {
            return false;
        };
        let Some(after) = rest.strip_prefix(first) else {
            return false;
        };
        let lower = word[1..].to_ascii_lowercase();
        let Some(after) = after.strip_prefix(lower.as_str()) else {
            return false;
        };
        rest = after;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_camel_case() {
        assert_eq!(by_constant("SERVICE_UNAVAILABLE"), Some(503));
        assert_eq!(by_constant("ServiceUnavailable"), None);
        assert_eq!(by_camel("ServiceUnavailable"), Some(503));
        assert_eq!(by_camel("InternalServerError"), Some(500));
        assert_eq!(by_camel("OK"), Some(200));
        assert_eq!(by_camel("Ok"), Some(200));
        assert_eq!(by_camel("Teapot"), Some(418));
        assert_eq!(by_camel("NonAuthoritativeInfo"), Some(203));
        assert_eq!(by_camel("Serviceunavailable"), None);
        assert_eq!(by_camel("Nope"), None);
        assert_eq!(by_camel(""), None);
    }

    #[test]
    fn every_code_is_a_real_status() {
        for (name, code) in STATUSES {
            assert!((100..=599).contains(code), "{name}");
        }
    }
}
