//! What well-known base images bring when a Dockerfile builds `FROM` them:
//! the start command (ENTRYPOINT/CMD), the server that command starts and its
//! port, the default user and environment. An image that keeps its base's
//! CMD/ENTRYPOINT runs what the base runs (Docker copies both into the new
//! image), so `FROM php:8.3-apache` + `COPY index.php` serves on port 80.
//!
//! One table, [`BASE_IMAGES`]; every fact names its source (the image's own
//! Dockerfile or documentation). An image not in the table is unknown and
//! seamcheck stays silent about what it runs.

/// The facts of one family of base images.
#[derive(Debug)]
pub struct BaseImageFacts {
    /// Human name, used in evidence ("the nginx image").
    pub name: &'static str,
    /// ENTRYPOINT of the image that changes what runs. Wrapper scripts that
    /// end with `exec "$@"` (nginx's `/docker-entrypoint.sh`,
    /// `docker-php-entrypoint`) are left out: they run the CMD.
    pub entrypoint: &'static [&'static str],
    /// CMD of the image.
    pub cmd: &'static [&'static str],
    /// The server the image's own command starts, when it is one.
    pub server: Option<BaseServer>,
    /// Whether the default user is root (`None`: not documented here).
    pub root_user: Option<bool>,
    /// Environment the image sets that servers read.
    pub env: fn(tag: &str) -> &'static [(&'static str, &'static str)],
}

/// The server a base image starts with its own command.
#[derive(Debug)]
pub struct BaseServer {
    /// Its default port (from the configuration the image ships).
    pub port: u16,
    /// A variable of the container environment that moves the port.
    pub port_env: Option<&'static str>,
    /// Variables that rebind the server some other way: when one is set,
    /// the port is unknown.
    pub rebinding_env: &'static [&'static str],
    /// Where the server's port is configured in the image: a Dockerfile
    /// that copies there (or into a folder above) or whose RUN edits one of
    /// these paths and mentions a port or `Listen` may have moved the port.
    pub config_paths: &'static [&'static str],
    /// The image's WORKDIR (where `COPY . .` lands).
    pub workdir: &'static str,
}

fn no_env(_: &str) -> &'static [(&'static str, &'static str)] {
    &[]
}

/// ASP.NET images: `ASPNETCORE_HTTP_PORTS=8080` since .NET 8,
/// `ASPNETCORE_URLS=http://+:80` before.
/// Source: https://learn.microsoft.com/dotnet/core/compatibility/containers/8.0/aspnet-port
fn dotnet_env(tag: &str) -> &'static [(&'static str, &'static str)] {
    let major = tag
        .split(['.', '-'])
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(m) if m >= 8 => &[("ASPNETCORE_HTTP_PORTS", "8080")],
        Some(5..=7) => &[("ASPNETCORE_URLS", "http://+:80")],
        _ => &[],
    }
}

const NGINX_CMD: &[&str] = &["nginx", "-g", "daemon off;"];

/// Repository (without `docker.io/`, `library/`) → facts. The first
/// matching entry wins; `tag_has` narrows an entry to tags containing it.
struct Entry {
    repository: fn(&str) -> bool,
    tag_has: Option<&'static str>,
    facts: BaseImageFacts,
}

static BASE_IMAGES: &[Entry] = &[
    // Source: https://github.com/nginxinc/docker-nginx/blob/master/mainline/debian/Dockerfile
    // (EXPOSE 80, ENTRYPOINT ["/docker-entrypoint.sh"], CMD ["nginx", "-g",
    // "daemon off;"]; conf.d/default.conf listens on 80; runs as root).
    Entry {
        repository: |r| r == "nginx",
        tag_has: None,
        facts: BaseImageFacts {
            name: "nginx",
            entrypoint: &[],
            cmd: NGINX_CMD,
            server: Some(BaseServer {
                port: 80,
                port_env: None,
                rebinding_env: &[],
                config_paths: &["/etc/nginx"],
                workdir: "/",
            }),
            root_user: Some(true),
            env: no_env,
        },
    },
    // Source: https://github.com/nginxinc/docker-nginx-unprivileged (README:
    // "listens on port 8080 by default", USER 101, same CMD as nginx).
    Entry {
        repository: |r| r == "nginxinc/nginx-unprivileged",
        tag_has: None,
        facts: BaseImageFacts {
            name: "nginx-unprivileged",
            entrypoint: &[],
            cmd: NGINX_CMD,
            server: Some(BaseServer {
                port: 8080,
                port_env: None,
                rebinding_env: &[],
                config_paths: &["/etc/nginx"],
                workdir: "/",
            }),
            root_user: Some(false),
            env: no_env,
        },
    },
    // Source: https://github.com/bitnami/containers/tree/main/bitnami/nginx
    // (port 8080, NGINX_HTTP_PORT_NUMBER, USER 1001).
    Entry {
        repository: |r| r == "bitnami/nginx",
        tag_has: None,
        facts: BaseImageFacts {
            name: "bitnami nginx",
            entrypoint: &["/opt/bitnami/scripts/nginx/entrypoint.sh"],
            cmd: &["/opt/bitnami/scripts/nginx/run.sh"],
            server: Some(BaseServer {
                port: 8080,
                port_env: Some("NGINX_HTTP_PORT_NUMBER"),
                rebinding_env: &[],
                config_paths: &["/opt/bitnami/nginx/conf"],
                workdir: "/app",
            }),
            root_user: Some(false),
            env: no_env,
        },
    },
    // Source: https://github.com/docker-library/httpd/blob/master/2.4/Dockerfile
    // (EXPOSE 80, CMD ["httpd-foreground"], conf/httpd.conf `Listen 80`).
    Entry {
        repository: |r| r == "httpd",
        tag_has: None,
        facts: BaseImageFacts {
            name: "httpd",
            entrypoint: &[],
            cmd: &["httpd-foreground"],
            server: Some(BaseServer {
                port: 80,
                port_env: None,
                rebinding_env: &[],
                config_paths: &["/usr/local/apache2/conf"],
                workdir: "/usr/local/apache2",
            }),
            root_user: Some(true),
            env: no_env,
        },
    },
    // Source: https://github.com/docker-library/php/blob/master/8.3/bookworm/apache/Dockerfile
    // (ENTRYPOINT ["docker-php-entrypoint"] execs its arguments, CMD
    // ["apache2-foreground"], EXPOSE 80, ports.conf `Listen 80`).
    Entry {
        repository: |r| r == "php",
        tag_has: Some("apache"),
        facts: BaseImageFacts {
            name: "php Apache",
            entrypoint: &[],
            cmd: &["apache2-foreground"],
            server: Some(BaseServer {
                port: 80,
                port_env: None,
                rebinding_env: &[],
                config_paths: &[
                    "/etc/apache2/ports.conf",
                    "/etc/apache2/apache2.conf",
                    "/etc/apache2/sites-available",
                    "/etc/apache2/sites-enabled",
                    "/etc/apache2/conf-enabled",
                ],
                workdir: "/var/www/html",
            }),
            root_user: Some(true),
            env: no_env,
        },
    },
    // Source: https://github.com/docker-library/tomcat/blob/master/10.1/jdk21/temurin-jammy/Dockerfile
    // (EXPOSE 8080, CMD ["catalina.sh", "run"], conf/server.xml port 8080).
    Entry {
        repository: |r| r == "tomcat",
        tag_has: None,
        facts: BaseImageFacts {
            name: "tomcat",
            entrypoint: &[],
            cmd: &["catalina.sh", "run"],
            server: Some(BaseServer {
                port: 8080,
                port_env: None,
                rebinding_env: &[],
                config_paths: &["/usr/local/tomcat/conf"],
                workdir: "/usr/local/tomcat",
            }),
            root_user: Some(true),
            env: no_env,
        },
    },
    // Source: https://github.com/eclipse/jetty.docker/blob/master/eclipse-temurin/12.0/jdk21/Dockerfile
    // (EXPOSE 8080, CMD ["java", "-jar", "/usr/local/jetty/start.jar"], USER jetty).
    Entry {
        repository: |r| r == "jetty",
        tag_has: None,
        facts: BaseImageFacts {
            name: "jetty",
            entrypoint: &[],
            cmd: &["java", "-jar", "/usr/local/jetty/start.jar"],
            server: Some(BaseServer {
                port: 8080,
                port_env: None,
                rebinding_env: &[],
                config_paths: &["/var/lib/jetty", "/usr/local/jetty"],
                workdir: "/var/lib/jetty",
            }),
            root_user: Some(false),
            env: no_env,
        },
    },
    // Source: https://github.com/tiangolo/uvicorn-gunicorn-docker (start.sh
    // runs gunicorn with gunicorn_conf.py: bind `${HOST:-0.0.0.0}:${PORT:-80}`
    // unless BIND is set; EXPOSE 80; the app from MODULE_NAME/APP_MODULE).
    Entry {
        repository: |r| {
            r.starts_with("tiangolo/uvicorn-gunicorn")
                || r.starts_with("tiangolo/meinheld-gunicorn")
        },
        tag_has: None,
        facts: BaseImageFacts {
            name: "tiangolo gunicorn",
            entrypoint: &[],
            cmd: &["/start.sh"],
            server: Some(BaseServer {
                port: 80,
                port_env: Some("PORT"),
                rebinding_env: &["BIND", "GUNICORN_CONF"],
                config_paths: &["/gunicorn_conf.py", "/app/gunicorn_conf.py", "/start.sh"],
                workdir: "/app",
            }),
            root_user: Some(true),
            env: no_env,
        },
    },
    // Source: https://github.com/GoogleContainerTools/distroless/blob/main/nodejs/BUILD
    // (entrypoint ["/nodejs/bin/node"]; `:nonroot` tags run as 65532).
    Entry {
        repository: |r| r.starts_with("gcr.io/distroless/nodejs"),
        tag_has: None,
        facts: BaseImageFacts {
            name: "distroless Node.js",
            entrypoint: &["/nodejs/bin/node"],
            cmd: &[],
            server: None,
            root_user: None,
            env: no_env,
        },
    },
    // Source: https://github.com/GoogleContainerTools/distroless/blob/main/java/BUILD
    // (entrypoint ["/usr/bin/java", "-jar"]).
    Entry {
        repository: |r| r.starts_with("gcr.io/distroless/java"),
        tag_has: None,
        facts: BaseImageFacts {
            name: "distroless Java",
            entrypoint: &["/usr/bin/java", "-jar"],
            cmd: &[],
            server: None,
            root_user: None,
            env: no_env,
        },
    },
    // Source: https://github.com/GoogleContainerTools/distroless/blob/main/python3/BUILD
    // (entrypoint ["/usr/bin/python3"]).
    Entry {
        repository: |r| r.starts_with("gcr.io/distroless/python3"),
        tag_has: None,
        facts: BaseImageFacts {
            name: "distroless Python",
            entrypoint: &["/usr/bin/python3"],
            cmd: &[],
            server: None,
            root_user: None,
            env: no_env,
        },
    },
    // Source: https://github.com/dotnet/dotnet-docker/blob/main/src/aspnet/8.0/bookworm-slim/amd64/Dockerfile
    // (ENV ASPNETCORE_HTTP_PORTS=8080; no CMD: the app's Dockerfile sets
    // `ENTRYPOINT ["dotnet", "App.dll"]`).
    Entry {
        repository: |r| {
            ["aspnet", "runtime", "runtime-deps", "sdk"]
                .iter()
                .any(|k| r.strip_prefix("mcr.microsoft.com/dotnet/") == Some(k))
        },
        tag_has: None,
        facts: BaseImageFacts {
            name: ".NET",
            entrypoint: &[],
            cmd: &[],
            server: None,
            root_user: Some(true),
            env: dotnet_env,
        },
    },
];

/// The facts of a base image, by repository and tag as written in FROM.
pub fn facts_of(repository: &str, tag: Option<&str>) -> Option<&'static BaseImageFacts> {
    let repo = repository.strip_prefix("docker.io/").unwrap_or(repository);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    let tag = tag.unwrap_or("latest");
    BASE_IMAGES
        .iter()
        .find(|e| (e.repository)(repo) && e.tag_has.is_none_or(|t| tag.contains(t)))
        .map(|e| &e.facts)
}

/// The environment a base image sets (`ASPNETCORE_HTTP_PORTS` …).
pub fn inherited_env(
    repository: &str,
    tag: Option<&str>,
) -> &'static [(&'static str, &'static str)] {
    facts_of(repository, tag).map_or(&[], |f| (f.env)(tag.unwrap_or("latest")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_images_and_their_servers() {
        let port = |r: &str, t: Option<&str>| {
            facts_of(r, t)
                .and_then(|f| f.server.as_ref())
                .map(|s| s.port)
        };
        assert_eq!(port("nginx", Some("1.25-alpine")), Some(80));
        assert_eq!(port("docker.io/library/nginx", None), Some(80));
        assert_eq!(
            port("docker.io/nginxinc/nginx-unprivileged", Some("1.29")),
            Some(8080)
        );
        assert_eq!(port("php", Some("8.3-apache")), Some(80));
        assert_eq!(port("tomcat", Some("10")), Some(8080));
        assert_eq!(
            port("tiangolo/uvicorn-gunicorn-fastapi", Some("python3.9")),
            Some(80)
        );
        // php-fpm speaks FastCGI, the CLI image runs no server: not in the table.
        assert!(facts_of("php", Some("8.3-fpm")).is_none());
        assert!(facts_of("python", Some("3.12")).is_none());
        assert!(facts_of("mynginx", None).is_none());
        assert_eq!(
            facts_of("gcr.io/distroless/nodejs18-debian11", None).map(|f| f.entrypoint),
            Some(&["/nodejs/bin/node"][..])
        );
    }

    #[test]
    fn dotnet_port_changed_in_8() {
        assert_eq!(
            inherited_env("mcr.microsoft.com/dotnet/aspnet", Some("8.0")),
            &[("ASPNETCORE_HTTP_PORTS", "8080")]
        );
        assert_eq!(
            inherited_env("mcr.microsoft.com/dotnet/aspnet", Some("6.0-alpine")),
            &[("ASPNETCORE_URLS", "http://+:80")]
        );
        assert!(inherited_env("mcr.microsoft.com/dotnet/aspnet", None).is_empty());
    }
}
