//! The port chain of a service, as `seamcheck graph` and the JSON report's
//! `services[].ports` show it: Ingress → Service port → targetPort →
//! containerPort → EXPOSE → the port the app listens on, each node with its
//! place, each edge marked when the two ends disagree.

use crate::link::service_backends;
use crate::rules::Ctx;
use schemars::JsonSchema;
use seamcheck_facts::{Location, PortRef};
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PortChain {
    pub nodes: Vec<ChainNode>,
    pub edges: Vec<ChainEdge>,
    /// The ids of `nodes`: a node is added once, and looking for it in the
    /// list each time was quadratic in 300,000 EXPOSE lines.
    #[serde(skip)]
    #[schemars(skip)]
    ids: HashSet<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChainNode {
    /// Stable within the service: `listen:image`, `port:Deployment/ns/x/c/0` …
    pub id: String,
    /// `ingress`, `service-port`, `compose-port`, `container-port`, `expose`, `listen`.
    pub kind: &'static str,
    pub label: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChainEdge {
    pub from: String,
    pub to: String,
    /// `ok`, `mismatch`, or `unknown` (one end could not be resolved).
    pub status: &'static str,
    pub note: String,
}

impl PortChain {
    fn node(&mut self, id: String, kind: &'static str, label: String, loc: &Location) -> String {
        if self.ids.insert(id.clone()) {
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

    fn edge(&mut self, from: &str, to: &str, status: &'static str, note: impl Into<String>) {
        self.edges.push(ChainEdge {
            from: from.to_string(),
            to: to.to_string(),
            status,
            note: note.into(),
        });
    }
}

fn status(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "mismatch"
    }
}

pub fn port_chain(cx: &Ctx<'_>, service: usize) -> PortChain {
    let mut chain = PortChain {
        nodes: Vec::new(),
        edges: Vec::new(),
        ids: HashSet::new(),
    };
    let Some(svc) = cx.services.get(service) else {
        return chain;
    };
    // The image alone: EXPOSE → listen.
    let image_listen = cx.image_runtime(service).and_then(|rt| {
        let p = rt.port.as_ref()?;
        let host = rt.host.as_ref().map_or("?", |h| h.value.as_str());
        Some((
            chain.node(
                "listen:image".into(),
                "listen",
                format!("app listens on {host}:{}", p.value),
                &p.loc,
            ),
            p.value,
        ))
    });
    if let Some(image) = svc
        .dockerfile
        .and_then(|d| cx.inv.dockerfiles.get(d))
        .and_then(|d| d.image())
    {
        for (i, e) in image.expose().into_iter().enumerate() {
            let id = chain.node(
                format!("expose:{i}"),
                "expose",
                format!("EXPOSE {}", e.raw),
                &e.loc,
            );
            match (&image_listen, e.port) {
                (Some((listen, port)), Some(_)) => chain.edge(
                    &id,
                    listen,
                    status(e.covers(*port)),
                    format!("app port {port}"),
                ),
                (Some((listen, _)), None) => {
                    chain.edge(&id, listen, "unknown", "unresolved EXPOSE")
                }
                _ => {}
            }
        }
    }
    // Each compose service: published port → container port → listen.
    for view in cx.compose_services_of(service) {
        let cs = view.compose.service;
        let listen = view.runtime.and_then(|rt| {
            let p = rt.port.as_ref()?;
            let host = rt.host.as_ref().map_or("?", |h| h.value.as_str());
            Some((
                chain.node(
                    format!("listen:compose/{}", cs.name.value),
                    "listen",
                    format!(
                        "app listens on {host}:{} (compose {})",
                        p.value, cs.name.value
                    ),
                    &p.loc,
                ),
                p.value,
            ))
        });
        let specs = cs
            .ports
            .iter()
            .map(|p| (&p.container, p.raw.as_str()))
            .chain(cs.expose.iter().map(|e| (&e.port, e.port.raw.as_str())));
        for (i, (spec, raw)) in specs.enumerate() {
            let id = chain.node(
                format!("compose:{}/{i}", cs.name.value),
                "compose-port",
                format!("compose {} ports \"{raw}\"", cs.name.value),
                &spec.loc,
            );
            match (&listen, spec.port) {
                (Some((l, port)), Some(_)) => chain.edge(
                    &id,
                    l,
                    status(spec.covers(*port)),
                    format!("app port {port}"),
                ),
                (Some((l, _)), None) => chain.edge(&id, l, "unknown", "unresolved container port"),
                _ => {}
            }
        }
    }
    // Each container: containerPort → listen; Services and Ingresses in front.
    for view in cx.containers_of(service) {
        let cid = format!("{}/{}", view.workload.id(), view.container.name.value);
        let listen = view.runtime.and_then(|rt| {
            let p = rt.port.as_ref()?;
            let host = rt.host.as_ref().map_or("?", |h| h.value.as_str());
            Some((
                chain.node(
                    format!("listen:{cid}"),
                    "listen",
                    format!(
                        "app listens on {host}:{} (container {})",
                        p.value, view.container.name.value
                    ),
                    &p.loc,
                ),
                p.value,
            ))
        });
        let mut port_ids = Vec::new();
        for (i, p) in view.container.ports.iter().enumerate() {
            let name = p
                .name
                .as_ref()
                .map_or(String::new(), |n| format!(" ({})", n.value));
            let id = chain.node(
                format!("port:{cid}/{i}"),
                "container-port",
                format!(
                    "containerPort {}{name} (container {})",
                    p.container_port.value, view.container.name.value
                ),
                &p.container_port.loc,
            );
            if let Some((l, port)) = &listen {
                chain.edge(
                    &id,
                    l,
                    status(p.container_port.value == *port),
                    format!("app port {port}"),
                );
            }
            port_ids.push((id, p));
        }
        for so in cx
            .selecting(view.link.workload)
            .iter()
            .filter_map(|&s| cx.inv.services.get(s))
        {
            for sp in &so.service.ports {
                let sid = chain.node(
                    format!(
                        "svc:{}/{}/{}",
                        so.namespace(),
                        so.service.name.value,
                        sp.port.value
                    ),
                    "service-port",
                    format!("Service {} port {}", so.service.name.value, sp.port.value),
                    &sp.port.loc,
                );
                let Some(target) = sp.known_target() else {
                    continue;
                };
                let hit = port_ids.iter().find(|(_, p)| match &target.value {
                    PortRef::Number(n) => p.container_port.value == *n,
                    PortRef::Name(name) => p.name.as_ref().is_some_and(|x| &x.value == name),
                });
                match (hit, &target.value, &listen) {
                    (Some((id, _)), _, _) => {
                        chain.edge(&sid, id, "ok", format!("targetPort {}", target.value))
                    }
                    (None, PortRef::Number(n), Some((l, port))) => {
                        chain.edge(&sid, l, status(n == port), format!("targetPort {n}"))
                    }
                    (None, PortRef::Name(name), _) => {
                        let to = listen.as_ref().map_or(sid.clone(), |(l, _)| l.clone());
                        chain.edge(
                            &sid,
                            &to,
                            "mismatch",
                            format!("targetPort `{name}` names no container port"),
                        )
                    }
                    (None, PortRef::Number(n), None) => chain.edge(
                        &sid,
                        &sid,
                        "unknown",
                        format!("targetPort {n}, app port unknown"),
                    ),
                }
                let backends = cx
                    .backends_by_service
                    .get(&(so.namespace(), so.service.name.value.as_str()))
                    .map_or(&[][..], Vec::as_slice);
                for &(i, bi) in backends {
                    let (Some(ing), Some(b)) = (
                        cx.inv.ingresses.get(i),
                        cx.inv.ingresses.get(i).and_then(|g| g.ingress.backends.get(bi)),
                    ) else {
                        continue;
                    };
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
                            "ingress",
                            format!("Ingress {} {path}", ing.ingress.name.value),
                            &b.loc,
                        );
                        chain.edge(&iid, &sid, "ok", format!("port {}", bp.value));
                    }
                }
            }
        }
    }
    chain
}
