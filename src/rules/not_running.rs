//! What does not run is not linted as if it did: a client or debug pod
//! that only sleeps, a sidecar a mesh injects, an image stage that only
//! carries files, an image the repository builds and tags at deploy time.

use crate::model::inventory::DockerfileRef;
use crate::model::Model;
use seamcheck_facts::dockerfile::Stage;
use seamcheck_facts::kube::Container;

/// Containers a service mesh or runtime injects next to the app: their
/// probes and resources are the injector's business.
const INJECTED_SIDECARS: &[&str] = &[
    "istio-proxy",
    "istio-init",
    "linkerd-proxy",
    "linkerd-init",
    "daprd",
];

pub fn is_injected_sidecar(c: &Container) -> bool {
    INJECTED_SIDECARS.contains(&c.name.value.as_str())
}

/// A container whose command only sleeps or tails (`sleep infinity`,
/// `tail -f /dev/null`, `sleep 3600`) and declares no port: a client or
/// debug pod someone execs into. It serves nothing to probe.
pub fn is_idle_client(c: &Container) -> bool {
    if !c.ports.is_empty() {
        return false;
    }
    let argv: Vec<&str> = c
        .command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .map(|w| w.value.as_str())
        .collect();
    idle_command(&argv)
}

/// The words of a command line only sleep or tail `/dev/null`.
fn idle_command(argv: &[&str]) -> bool {
    let words: Vec<&str> = argv
        .iter()
        .flat_map(|w| w.split_whitespace())
        .map(|w| w.trim_matches(|ch| ch == ';' || ch == '"' || ch == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let idle_word = |w: &str| {
        matches!(
            w,
            "sh" | "/bin/sh"
                | "bash"
                | "/bin/bash"
                | "-c"
                | "-f"
                | "sleep"
                | "/bin/sleep"
                | "tail"
                | "/dev/null"
                | "infinity"
                | "inf"
                | "while"
                | "true"
                | "do"
                | "done"
        ) || w
            .trim_end_matches(['s', 'm', 'h', 'd'])
            .parse::<f64>()
            .is_ok()
    };
    let sleeps = words.iter().any(|w| matches!(*w, "sleep" | "/bin/sleep"))
        || (words.contains(&"tail") && words.contains(&"/dev/null"));
    sleeps && words.iter().all(|w| idle_word(w))
}

/// A stage `FROM scratch` with no CMD or ENTRYPOINT (here or inherited):
/// it carries files (a Wasm module, an exported artifact) and runs no
/// process, so it has no process user.
pub fn carries_files_only(df: &DockerfileRef<'_>, stage: &Stage) -> bool {
    // The lineage by parent index (a name lookup per hop was quadratic in
    // 100,000 chained stages).
    let view = crate::model::image::ImageView::new(df.facts, stage);
    let stages = view.stages();
    stages
        .iter()
        .all(|s| s.cmd.is_none() && s.entrypoint.is_none())
        && stages
            .last()
            .is_some_and(|s| !s.from.value.is_stage && s.from.value.repository == "scratch")
}

/// The image repository is built from this repository by a tool that tags
/// it at deploy time: a skaffold artifact, or a compose service with both
/// `build` and `image`.
pub fn built_and_tagged_at_deploy(cx: &Model<'_>, repository: &str) -> bool {
    cx.inv
        .skaffold
        .iter()
        .any(|(_, a)| a.image.value == repository)
        || cx.inv.compose_services.iter().any(|c| {
            c.service.build.is_some()
                && c.service
                    .image
                    .as_ref()
                    .is_some_and(|i| crate::model::link::split_image_tag(&i.value).0 == repository)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_clients() {
        assert!(idle_command(&["sleep", "infinity"]));
        assert!(idle_command(&["sleep", "3600"]));
        assert!(idle_command(&["tail", "-f", "/dev/null"]));
        assert!(idle_command(&[
            "/bin/sh",
            "-c",
            "while true; do sleep 30; done"
        ]));
        assert!(!idle_command(&["sh", "-c", "sleep 5 && python app.py"]));
        assert!(!idle_command(&["python", "app.py"]));
        assert!(!idle_command(&[]));
    }
}
