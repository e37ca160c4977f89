//! Each hop of a port chain judged once: does the port a layer declares
//! reach the port the app listens on? Rules report the mismatches, the port
//! chain (`seamcheck graph`, `services[].ports`) draws every verdict; neither
//! compares ports itself, so the two views cannot disagree.

use crate::model::context::ContainerView;
use seamcheck_facts::kube::Container;
use seamcheck_facts::PortRef;

/// The verdict on one edge of a port chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The two ends agree.
    Agree,
    /// The two ends disagree: a rule reports it (once, at the place the
    /// verdict names).
    Mismatch,
    /// Not decided, and why (an end unresolved, another port of a list).
    Unknown(String),
}

/// A list of declared ports (a Dockerfile's `EXPOSE`s, a container's
/// `containerPort`s, a compose service's `ports` and `expose`) against the
/// port the app listens on. The list is judged as a whole: one entry that
/// covers the app port is enough, and other entries are other ports (a
/// metrics port beside the app's), not mismatches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredPorts {
    /// The port the app listens on.
    pub app_port: u16,
    /// Per entry of the list, the verdict of its edge to the app.
    pub entries: Vec<Verdict>,
    /// The entry that carries the list's mismatch (the first one judged),
    /// when no entry covers the app port.
    pub mismatch: Option<usize>,
}

/// One entry of a declared list, as the judge needs it.
pub enum Entry {
    /// Resolved: whether it covers the app port.
    Covers(bool),
    /// Unresolved, with the reason shown on its edge.
    Unresolved(&'static str),
}

/// Judges a declared list. `blocked` is why the list as a whole cannot be
/// judged (a port written as a template, `network_mode: host`): then every
/// resolved entry is unknown for that reason.
pub fn judge_declared(app_port: u16, entries: &[Entry], blocked: Option<&str>) -> DeclaredPorts {
    let resolved: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| matches!(e, Entry::Covers(_)).then_some(i))
        .collect();
    let covered = entries.iter().any(|e| matches!(e, Entry::Covers(true)));
    let mismatch = match (blocked, covered, resolved.first()) {
        (None, false, Some(&first)) => Some(first),
        _ => None,
    };
    let verdicts = entries
        .iter()
        .enumerate()
        .map(|(i, e)| match (e, blocked) {
            (Entry::Unresolved(reason), _) => Verdict::Unknown((*reason).to_string()),
            (Entry::Covers(_), Some(reason)) => Verdict::Unknown(reason.to_string()),
            (Entry::Covers(true), None) => Verdict::Agree,
            (Entry::Covers(false), None) if mismatch == Some(i) => Verdict::Mismatch,
            (Entry::Covers(false), None) if covered => Verdict::Unknown(format!(
                "another port: app port {app_port} is declared beside it"
            )),
            (Entry::Covers(false), None) => Verdict::Unknown(format!(
                "another port of a list that misses app port {app_port}"
            )),
        })
        .collect();
    DeclaredPorts {
        app_port,
        entries: verdicts,
        mismatch,
    }
}

/// Where a Kubernetes Service port sends traffic, judged against every
/// selected container (a Service reaches all the pods it selects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetVerdict {
    /// A named `targetPort` that no selected container's ports define.
    NoSuchName,
    /// Every selected container's app listens elsewhere. `first` indexes
    /// the selected views: the one whose app port the finding shows.
    Missed { number: u16, first: usize },
    /// Reaches the app of at least one selected container, or cannot be
    /// judged (an app port unknown).
    Reaches { number: u16 },
}

/// Judges a Service port's target against the selected containers.
pub fn judge_target(target: &PortRef, selected: &[&ContainerView<'_, '_>]) -> TargetVerdict {
    let containers: Vec<&Container> = selected.iter().map(|v| v.container).collect();
    let Some(number) = port_number(target, &containers) else {
        return TargetVerdict::NoSuchName;
    };
    // Every selected container with a known app port must miss it: a
    // sidecar listening there would make the Service work.
    let app_ports: Vec<(usize, u16)> = selected
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.runtime
                .and_then(|r| r.port.as_ref())
                .map(|p| (i, p.value))
        })
        .collect();
    match app_ports.first() {
        Some(&(first, _))
            if app_ports.len() == selected.len()
                && !app_ports.iter().any(|&(_, p)| p == number) =>
        {
            TargetVerdict::Missed { number, first }
        }
        _ => TargetVerdict::Reaches { number },
    }
}

/// A probe/Service port as a number: a number as is, a name through the
/// containers' `ports[].name`. `None` when the name is not defined.
pub fn port_number(port: &PortRef, containers: &[&Container]) -> Option<u16> {
    match port {
        PortRef::Number(n) => Some(*n),
        PortRef::Name(name) => containers.iter().find_map(|c| {
            c.ports
                .iter()
                .find(|p| p.name.as_ref().is_some_and(|n| &n.value == name))
                .map(|p| p.container_port.value)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_judged_as_a_whole() {
        // containerPort 8080 and a metrics port 9100; the app on 8080.
        let v = judge_declared(8080, &[Entry::Covers(true), Entry::Covers(false)], None);
        assert_eq!(v.entries[0], Verdict::Agree);
        assert!(matches!(v.entries[1], Verdict::Unknown(_)));
        assert_eq!(v.mismatch, None);
        // 80 and 9100; the app on 8080: one mismatch, on the first.
        let v = judge_declared(8080, &[Entry::Covers(false), Entry::Covers(false)], None);
        assert_eq!(v.entries[0], Verdict::Mismatch);
        assert!(matches!(v.entries[1], Verdict::Unknown(_)));
        assert_eq!(v.mismatch, Some(0));
        // An unresolved entry first: the mismatch is on the first resolved.
        let v = judge_declared(
            8080,
            &[Entry::Unresolved("unresolved EXPOSE"), Entry::Covers(false)],
            None,
        );
        assert_eq!(v.entries[0], Verdict::Unknown("unresolved EXPOSE".into()));
        assert_eq!(v.mismatch, Some(1));
        // Blocked: nothing is a mismatch.
        let v = judge_declared(8080, &[Entry::Covers(false)], Some("templated"));
        assert_eq!(v.entries[0], Verdict::Unknown("templated".into()));
        assert_eq!(v.mismatch, None);
    }
}
