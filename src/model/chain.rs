//! The port chain of a service, as `seamcheck graph` and the JSON report's
//! `services[].ports` show it: Ingress → Service port → targetPort →
//! containerPort → EXPOSE → the port the app listens on, each node with its
//! place, each edge with the verdict the model decided on it (this module
//! compares no ports: `model::verdict` did, once, for the rules too).

use crate::model::link::service_backends;
use crate::model::verdict::{DeclaredPorts, TargetVerdict, Verdict};
use crate::model::Model;
use schemars::JsonSchema;
use seamcheck_facts::{Location, PortRef};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PortChain {
    pub nodes: Vec<ChainNode>,
    pub edges: Vec<ChainEdge>,
}

/// What a node of the chain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Ingress,
    ServicePort,
    ComposePort,
    ContainerPort,
    Expose,
    Listen,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChainNode {
    /// Stable within the service: `listen:image`, `port:Deployment/ns/x/c/0` …
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// An edge's verdict as reports show it: `ok`, `mismatch`, or `unknown`
/// (not decided: an end unresolved, or another port than the app's; the
/// note says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EdgeStatus {
    Ok,
    Mismatch,
    // Not decided: one end could not be resolved, or the port is another
    // one than the app's (the note says which).
    Unknown,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChainEdge {
    pub from: String,
    pub to: String,
    pub status: EdgeStatus,
    pub note: String,
    /// For a mismatch: where the rule that reports it puts its finding.
    #[serde(skip)]
    #[schemars(skip)]
    pub finding_at: Option<Location>,
}

impl PortChain {
    fn node(&mut self, id: String, kind: NodeKind, label: String, loc: &Location) -> String {
        if !self.nodes.iter().any(|n| n.id == id) {
            self.nodes.push(ChainNode {
                id: id.clone(),
                kind,
                label,
                path: loc.path.to_string(),
                line: loc.line,
                column: loc.column,
            });
        }
        id
    }

    /// An edge with the model's verdict: `note` describes an agreeing or
    /// mismatching edge; an unknown one shows its reason instead.
    fn edge(&mut self, from: &str, to: &str, verdict: &Verdict, note: String, at: &Location) {
        let (status, note) = match verdict {
            Verdict::Agree => (EdgeStatus::Ok, note),
            Verdict::Mismatch => (EdgeStatus::Mismatch, note),
            Verdict::Unknown(reason) => (EdgeStatus::Unknown, reason.clone()),
        };
        self.edges.push(ChainEdge {
            from: from.to_string(),
            to: to.to_string(),
            status,
            note,
            finding_at: (status == EdgeStatus::Mismatch).then(|| at.clone()),
        });
    }

    /// The edges of a declared list to the app's listener, one per entry.
    fn declared(&mut self, ids: &[(String, &Location)], listen: &str, verdicts: &DeclaredPorts) {
        for ((id, loc), verdict) in ids.iter().zip(&verdicts.entries) {
            let note = format!("app port {}", verdicts.app_port);
            self.edge(id, listen, verdict, note, loc);
        }
    }
}

/// The listener node of a deployment context, if its port is known.
fn listen_node(
    chain: &mut PortChain,
    runtime: Option<&crate::model::resolve::Runtime<'_>>,
    id: String,
    context: &str,
) -> Option<(String, u16)> {
    let p = runtime?.port.as_ref()?;
    let host = runtime?.host.as_ref().map_or("?", |h| h.value.as_str());
    let label = format!("app listens on {host}:{}{context}", p.value);
    Some((chain.node(id, NodeKind::Listen, label, &p.loc), p.value))
}

pub fn port_chain(cx: &Model<'_>, service: usize) -> PortChain {
    let mut chain = PortChain {
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    let Some(svc) = cx.services.get(service) else {
        return chain;
    };
    // The image alone: EXPOSE → listen.
    let image_listen = listen_node(
        &mut chain,
        cx.image_runtime(service),
        "listen:image".into(),
        "",
    );
    if let Some(image) = svc
        .dockerfile
        .and_then(|d| cx.inv.dockerfiles.get(d))
        .and_then(|d| d.image())
    {
        let ids: Vec<(String, &Location)> = image
            .expose()
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let label = format!("EXPOSE {}", e.raw);
                (
                    chain.node(format!("expose:{i}"), NodeKind::Expose, label, &e.loc),
                    &e.loc,
                )
            })
            .collect();
        if let (Some((listen, _)), Some(verdicts)) = (&image_listen, cx.expose_verdict(service)) {
            chain.declared(&ids, listen, verdicts);
        }
    }
    // Each compose service: published port → container port → listen.
    for view in cx.compose_services_of(service) {
        let cs = view.compose.service;
        let name = &cs.name.value;
        let listen = listen_node(
            &mut chain,
            view.runtime,
            format!("listen:compose/{name}"),
            &format!(" (compose {name})"),
        );
        let specs = cs
            .ports
            .iter()
            .map(|p| (&p.container, p.raw.as_str()))
            .chain(cs.expose.iter().map(|e| (&e.port, e.port.raw.as_str())));
        let ids: Vec<(String, &Location)> = specs
            .enumerate()
            .map(|(i, (spec, raw))| {
                let label = format!("compose {name} ports \"{raw}\"");
                let id = format!("compose:{name}/{i}");
                (
                    chain.node(id, NodeKind::ComposePort, label, &spec.loc),
                    &spec.loc,
                )
            })
            .collect();
        if let (Some((l, _)), Some(verdicts)) = (&listen, view.ports) {
            chain.declared(&ids, l, verdicts);
        }
    }
    // Each container: containerPort → listen; Services and Ingresses in front.
    for view in cx.containers_of(service) {
        let cname = &view.container.name.value;
        let cid = format!("{}/{cname}", view.workload.id());
        let listen = listen_node(
            &mut chain,
            view.runtime,
            format!("listen:{cid}"),
            &format!(" (container {cname})"),
        );
        let mut port_ids = Vec::new();
        for (i, p) in view.container.ports.iter().enumerate() {
            let name = p
                .name
                .as_ref()
                .map_or(String::new(), |n| format!(" ({})", n.value));
            let id = chain.node(
                format!("port:{cid}/{i}"),
                NodeKind::ContainerPort,
                format!(
                    "containerPort {}{name} (container {cname})",
                    p.container_port.value
                ),
                &p.container_port.loc,
            );
            port_ids.push((id, p));
        }
        if let (Some((l, _)), Some(verdicts)) = (&listen, view.ports) {
            let ids: Vec<(String, &Location)> = port_ids
                .iter()
                .map(|(id, p)| (id.clone(), &p.container_port.loc))
                .collect();
            chain.declared(&ids, l, verdicts);
        }
        for &k in cx.selecting(view.link.workload) {
            let Some(so) = cx.inv.kube_services.get(k) else {
                continue;
            };
            for (pi, sp) in so.service.ports.iter().enumerate() {
                let sid = chain.node(
                    format!(
                        "svc:{}/{}/{}",
                        so.namespace(),
                        so.service.name.value,
                        sp.port.value
                    ),
                    NodeKind::ServicePort,
                    format!("Service {} port {}", so.service.name.value, sp.port.value),
                    &sp.port.loc,
                );
                let (Some(target), Some(verdict)) = (sp.known_target(), cx.target_verdict(k, pi))
                else {
                    continue;
                };
                target_edge(&mut chain, &sid, &target, verdict, &port_ids, &listen);
                ingress_edges(cx, &mut chain, so, sp, &sid);
            }
        }
    }
    chain
}

/// The edge from a Service port to what its target reaches in one
/// container: the container port it names, or the app's listener.
fn target_edge(
    chain: &mut PortChain,
    sid: &str,
    target: &seamcheck_facts::Located<PortRef>,
    verdict: &TargetVerdict,
    port_ids: &[(String, &seamcheck_facts::kube::ContainerPort)],
    listen: &Option<(String, u16)>,
) {
    let hit = port_ids.iter().find(|(_, p)| match &target.value {
        PortRef::Number(n) => p.container_port.value == *n,
        PortRef::Name(name) => p.name.as_ref().is_some_and(|x| &x.value == name),
    });
    let missed = matches!(verdict, TargetVerdict::Missed { .. });
    let judged = |agree: bool| {
        if missed {
            Verdict::Mismatch
        } else if agree {
            Verdict::Agree
        } else {
            Verdict::Unknown(format!(
                "targetPort {}: not this container's app port; another selected container's",
                target.value
            ))
        }
    };
    let note = format!("targetPort {}", target.value);
    match (hit, &target.value, listen) {
        (Some((id, _)), _, _) => chain.edge(sid, id, &judged(true), note, &target.loc),
        (None, _, _) if *verdict == TargetVerdict::NoSuchName => {
            let to = listen.as_ref().map_or(sid.to_string(), |(l, _)| l.clone());
            let note = format!("targetPort `{}` names no container port", target.value);
            chain.edge(sid, &to, &Verdict::Mismatch, note, &target.loc);
        }
        (None, PortRef::Number(n), Some((l, port))) => {
            chain.edge(sid, l, &judged(n == port), note, &target.loc)
        }
        (None, PortRef::Name(name), _) => {
            let to = listen.as_ref().map_or(sid.to_string(), |(l, _)| l.clone());
            let verdict = if missed {
                Verdict::Mismatch
            } else {
                Verdict::Unknown(format!(
                    "targetPort `{name}` names a port of another selected container"
                ))
            };
            chain.edge(sid, &to, &verdict, note, &target.loc);
        }
        (None, PortRef::Number(n), None) => chain.edge(
            sid,
            sid,
            &Verdict::Unknown(format!("targetPort {n}, app port unknown")),
            note,
            &target.loc,
        ),
    }
}

/// The Ingress backends that route to a Service port.
fn ingress_edges(
    cx: &Model<'_>,
    chain: &mut PortChain,
    so: &crate::model::inventory::KubeServiceRef<'_>,
    sp: &seamcheck_facts::kube::ServicePort,
    sid: &str,
) {
    for ing in &cx.inv.ingresses {
        for b in ing
            .ingress
            .backends
            .iter()
            .filter(|b| b.service.value == so.service.name.value)
        {
            if service_backends(cx.inv, ing, &b.service.value).is_empty() {
                continue;
            }
            let Some(bp) = &b.port else { continue };
            let matches = match &bp.value {
                PortRef::Number(n) => sp.port.value == *n,
                PortRef::Name(name) => sp.name.as_deref() == Some(name.as_str()),
            };
            if !matches {
                continue;
            }
            let path = b.path.as_deref().unwrap_or("*");
            let iid = chain.node(
                format!("ing:{}/{}/{path}", ing.namespace(), ing.ingress.name.value),
                NodeKind::Ingress,
                format!("Ingress {} {path}", ing.ingress.name.value),
                &b.loc,
            );
            let note = format!("port {}", bp.value);
            chain.edge(&iid, sid, &Verdict::Agree, note, &b.loc);
        }
    }
}
