//! Small pieces of knowledge several rules share.

use seamcheck_facts::kube::SecurityContext;
use seamcheck_facts::source::Route;
use seamcheck_facts::Located;

pub use crate::model::verdict::port_number;

/// `/items/<int:id>` (Flask) and `/items/{id}` (FastAPI) match any segment.
pub fn route_matches(route: &str, path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let norm = |p: &str| p.trim_end_matches('/').to_string();
    let (route, path) = (norm(route), norm(path));
    let rs: Vec<&str> = route.split('/').collect();
    let ps: Vec<&str> = path.split('/').collect();
    if let Some(last) = rs.last() {
        // `<path:rest>` and `{rest:path}` swallow the remaining segments.
        // `<path:rest>`, `{rest:path}`, gin `*rest`, `{*rest}` swallow the rest.
        let catch_all = last.starts_with("<path:")
            || last.ends_with(":path}")
            || last.starts_with('*')
            || last.starts_with("{*");
        if catch_all && ps.len() >= rs.len() {
            return rs[..rs.len() - 1]
                .iter()
                .zip(&ps)
                .all(|(r, p)| segment_matches(r, p));
        }
    }
    rs.len() == ps.len() && rs.iter().zip(&ps).all(|(r, p)| segment_matches(r, p))
}

fn segment_matches(route: &str, path: &str) -> bool {
    // Flask `<id>`, FastAPI/Go/ASP.NET `{id}`, Express/gin/echo `:id`.
    let param = (route.starts_with('<') && route.ends_with('>'))
        || (route.starts_with('{') && route.ends_with('}'))
        || route.starts_with(':');
    (param && !path.is_empty()) || route == path
}

/// The routes of the given source files that serve `path` (any method a probe uses: GET).
pub fn serving_routes<'r>(routes: impl Iterator<Item = &'r Route>, path: &str) -> Vec<&'r Route> {
    routes
        .filter(|r| {
            (r.methods.is_empty() || r.methods.iter().any(|m| m == "GET"))
                && route_matches(&r.path.value, path)
        })
        .collect()
}

/// The effective security setting: the container's field, else the pod's.
pub fn effective<'s, T>(
    container: Option<&'s SecurityContext>,
    pod: Option<&'s SecurityContext>,
    field: impl Fn(&'s SecurityContext) -> Option<&'s Located<T>>,
) -> Option<&'s Located<T>> {
    container.and_then(&field).or_else(|| pod.and_then(&field))
}

/// What the base image runs as when the Dockerfile sets no USER, for images
/// whose default user is documented. `None`: unknown, stay silent.
pub fn base_image_runs_as_root(repository: &str, tag: Option<&str>) -> Option<bool> {
    let tag = tag.unwrap_or("latest");
    if repository == "scratch" {
        return Some(true);
    }
    if repository.starts_with("gcr.io/distroless/") || repository.starts_with("cgr.dev/chainguard/")
    {
        return Some(!(tag.contains("nonroot") || repository.starts_with("cgr.dev/")));
    }
    if repository.ends_with("-unprivileged") || tag.contains("rootless") {
        return Some(false);
    }
    let official = repository
        .strip_prefix("docker.io/")
        .unwrap_or(repository)
        .strip_prefix("library/")
        .unwrap_or(repository.strip_prefix("docker.io/").unwrap_or(repository));
    const ROOT_BY_DEFAULT: &[&str] = &[
        "python",
        "node",
        "golang",
        "ruby",
        "php",
        "perl",
        "rust",
        "openjdk",
        "eclipse-temurin",
        "amazoncorretto",
        "maven",
        "gradle",
        "debian",
        "ubuntu",
        "alpine",
        "busybox",
        "centos",
        "fedora",
        "rockylinux",
        "almalinux",
        "nginx",
        "httpd",
        "tomcat",
        "elixir",
        "erlang",
        "mcr.microsoft.com/dotnet/aspnet",
        "mcr.microsoft.com/dotnet/runtime",
        "mcr.microsoft.com/dotnet/sdk",
    ];
    ROOT_BY_DEFAULT.contains(&official).then_some(true)
}

/// `english list` of items: "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Who the image's process runs as, when no orchestrator overrides it.
pub enum ImageUser<'a> {
    /// The last USER of the stage (or of the stage it builds on).
    Explicit(&'a Located<seamcheck_facts::dockerfile::UserSpec>),
    /// No USER anywhere: the base image's documented default.
    BaseDefault {
        root: bool,
        from: &'a Located<seamcheck_facts::dockerfile::BaseImage>,
    },
    Unknown,
}

pub fn image_user<'a>(
    df: &'a seamcheck_facts::DockerfileFacts,
    stage: &'a seamcheck_facts::dockerfile::Stage,
) -> ImageUser<'a> {
    let mut current = stage;
    // `FROM builder` inherits the USER of that stage; the chain only goes back.
    for _ in 0..=df.stages.len() {
        if let Some(u) = current.user() {
            return ImageUser::Explicit(u);
        }
        let from = &current.from;
        if !from.value.is_stage {
            return match base_image_runs_as_root(&from.value.repository, from.value.tag.as_deref())
            {
                Some(root) => ImageUser::BaseDefault { root, from },
                None => ImageUser::Unknown,
            };
        }
        match current
            .parent
            .and_then(|i| df.stages.get(i))
            .filter(|s| s.index < current.index)
        {
            Some(parent) => current = parent,
            None => return ImageUser::Unknown,
        }
    }
    ImageUser::Unknown
}

/// Whether an official base image ships a program a health check runs, for
/// the images whose contents are documented. `None`: unknown, stay silent.
pub fn base_has_tool(repository: &str, tag: Option<&str>, tool: &str) -> Option<bool> {
    let repo = repository.strip_prefix("docker.io/").unwrap_or(repository);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    let tag = tag.unwrap_or("latest");
    // Only the usual health-check programs are known; `python`, `node` … are
    // the image's own business.
    if !matches!(tool, "curl" | "wget" | "nc" | "grpc_health_probe" | "sh") {
        return None;
    }
    // No base image puts grpc_health_probe on the PATH.
    if tool == "grpc_health_probe" {
        return Some(false);
    }
    let busybox = matches!(tool, "sh" | "wget" | "nc");
    if repo == "scratch" {
        return Some(false);
    }
    if repo.starts_with("gcr.io/distroless/") {
        // `:debug` variants add busybox; the others have no shell at all.
        return Some(tag.contains("debug") && busybox);
    }
    if repo.starts_with("mcr.microsoft.com/dotnet/") {
        if tag.contains("chiseled") || tag.contains("distroless") {
            return Some(false);
        }
        if tag.contains("alpine") {
            return Some(busybox);
        }
        return Some(tool == "sh");
    }
    const OFFICIAL: &[&str] = &[
        "python", "node", "ruby", "golang", "perl", "php", "debian", "ubuntu", "alpine",
    ];
    if !OFFICIAL.contains(&repo) {
        return None;
    }
    if repo == "alpine" || tag.contains("alpine") {
        return Some(busybox);
    }
    if tag.contains("slim") || repo == "debian" || repo == "ubuntu" {
        return Some(tool == "sh");
    }
    // The full official images build on buildpack-deps: curl and wget, no nc.
    match tool {
        "sh" | "curl" | "wget" => Some(true),
        _ => None,
    }
}

/// The image installs or copies the program itself (`apt-get install curl`,
/// `apk add wget`, `COPY --from=… /bin/grpc_health_probe`, a RUN that downloads it).
pub fn image_brings_tool(image: &crate::model::image::ImageView<'_>, tool: &str) -> bool {
    let packages: &[&str] = match tool {
        "curl" => &["curl"],
        "wget" => &["wget", "busybox"],
        "nc" => &[
            "netcat",
            "netcat-openbsd",
            "netcat-traditional",
            "ncat",
            "busybox",
        ],
        _ => &[],
    };
    image.stages().iter().any(|s| {
        s.runs.iter().any(|r| {
            r.system_packages.iter().any(|p| packages.contains(&p.as_str()))
                // A RUN of the image that downloads or even just runs it.
                || r.text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).any(|w| w == tool)
        }) || s.copies.iter().any(|c| {
            crate::model::inventory::base_name(c.dest.trim_end_matches('/')) == tool
                || c.sources.iter().any(|src| crate::model::inventory::base_name(src) == tool)
        })
    })
}

/// Loopback or unspecified hosts: a check run inside the container reaches the
/// container itself through them.
pub fn is_self_host(host: &str) -> bool {
    crate::model::resolve::is_loopback(host) || matches!(host, "0.0.0.0" | "::" | "[::]" | "")
}

/// Drift a render caused (a kustomize patch, an overlay's value) is fixed
/// where the render changed the value (`model::resolve::rendered_cause`):
/// the finding goes there and the declared side becomes the first related
/// location. Otherwise nothing moves.
pub fn where_the_fix_goes(
    declared: &seamcheck_facts::Location,
    declared_message: String,
    evidence: Vec<crate::finding::Related>,
) -> (seamcheck_facts::Location, Vec<crate::finding::Related>) {
    let Some(i) = crate::model::resolve::rendered_cause(declared, &evidence) else {
        return (declared.clone(), evidence);
    };
    let mut related = evidence;
    let moved = related.remove(i);
    related.insert(
        0,
        crate::finding::Related {
            loc: declared.clone(),
            message: declared_message,
        },
    );
    (moved.loc, related)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_with_parameters() {
        assert!(route_matches("/healthz", "/healthz"));
        assert!(route_matches("/healthz/", "/healthz"));
        assert!(route_matches("/items/<int:id>", "/items/3"));
        assert!(route_matches("/items/{id}", "/items/3?x=1"));
        assert!(route_matches("/static/<path:p>", "/static/a/b.css"));
        assert!(!route_matches("/health", "/healthz"));
        assert!(!route_matches("/items/{id}", "/items"));
        assert!(route_matches("/users/:id", "/users/7"));
        assert!(route_matches("/assets/*filepath", "/assets/css/a.css"));
    }

    #[test]
    fn base_image_users() {
        assert_eq!(base_image_runs_as_root("python", Some("3.9")), Some(true));
        assert_eq!(
            base_image_runs_as_root("gcr.io/distroless/python3", Some("nonroot")),
            Some(false)
        );
        assert_eq!(
            base_image_runs_as_root("nginxinc/nginx-unprivileged", None),
            Some(false)
        );
        assert_eq!(base_image_runs_as_root("mycorp/base", Some("1")), None);
    }

    #[test]
    fn base_image_tools() {
        assert_eq!(
            base_has_tool("python", Some("3.12-slim"), "curl"),
            Some(false)
        );
        assert_eq!(base_has_tool("python", Some("3.12-slim"), "python"), None);
        assert_eq!(base_has_tool("python", Some("3.12"), "curl"), Some(true));
        assert_eq!(base_has_tool("node", Some("20-alpine"), "wget"), Some(true));
        assert_eq!(
            base_has_tool("node", Some("20-alpine"), "curl"),
            Some(false)
        );
        assert_eq!(
            base_has_tool("gcr.io/distroless/static", Some("nonroot"), "sh"),
            Some(false)
        );
        assert_eq!(
            base_has_tool("gcr.io/distroless/base", Some("debug"), "wget"),
            Some(true)
        );
        assert_eq!(base_has_tool("mycorp/base", Some("1"), "curl"), None);
    }
}
