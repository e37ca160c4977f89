//! Name references fixed after renames (kustomize's `nameReference`): a
//! Deployment's `envFrom` names the ConfigMap by its base name; once the
//! ConfigMap is prefixed and hashed, the reference follows.

use crate::fieldspec::visit;
use crate::resource::{effective_namespace, is_cluster_scoped, Resource};
use crate::value::{Node, Src};

/// (referred kind, referring kind, path) — a subset of kustomize's table.
fn table() -> Vec<(&'static str, &'static str, String)> {
    let mut t: Vec<(&'static str, &'static str, String)> = Vec::new();
    let pod_specs: [(&str, &str); 8] = [
        ("Pod", "spec"),
        ("PodTemplate", "template/spec"),
        ("Deployment", "spec/template/spec"),
        ("ReplicaSet", "spec/template/spec"),
        ("DaemonSet", "spec/template/spec"),
        ("StatefulSet", "spec/template/spec"),
        ("Job", "spec/template/spec"),
        ("CronJob", "spec/jobTemplate/spec/template/spec"),
    ];
    for (kind, spec) in pod_specs {
        for p in [
            "volumes/configMap/name",
            "containers/env/valueFrom/configMapKeyRef/name",
            "initContainers/env/valueFrom/configMapKeyRef/name",
            "containers/envFrom/configMapRef/name",
            "initContainers/envFrom/configMapRef/name",
            "volumes/projected/sources/configMap/name",
        ] {
            t.push(("ConfigMap", kind, format!("{spec}/{p}")));
        }
        for p in [
            "volumes/secret/secretName",
            "containers/env/valueFrom/secretKeyRef/name",
            "initContainers/env/valueFrom/secretKeyRef/name",
            "containers/envFrom/secretRef/name",
            "initContainers/envFrom/secretRef/name",
            "imagePullSecrets/name",
            "volumes/projected/sources/secret/name",
        ] {
            t.push(("Secret", kind, format!("{spec}/{p}")));
        }
    }
    let sa_kinds: [(&str, &str); 7] = [
        ("Pod", "spec"),
        ("StatefulSet", "spec/template/spec"),
        ("Deployment", "spec/template/spec"),
        ("ReplicationController", "spec/template/spec"),
        ("CronJob", "spec/jobTemplate/spec/template/spec"),
        ("Job", "spec/template/spec"),
        ("DaemonSet", "spec/template/spec"),
    ];
    for (kind, spec) in sa_kinds {
        t.push(("ServiceAccount", kind, format!("{spec}/serviceAccountName")));
        t.push((
            "PersistentVolumeClaim",
            kind,
            format!("{spec}/volumes/persistentVolumeClaim/claimName"),
        ));
        t.push(("PriorityClass", kind, format!("{spec}/priorityClassName")));
    }
    t.push(("Secret", "Ingress", "spec/tls/secretName".into()));
    t.push(("Secret", "ServiceAccount", "imagePullSecrets/name".into()));
    t.push(("Service", "StatefulSet", "spec/serviceName".into()));
    for p in [
        "spec/rules/http/paths/backend/serviceName",
        "spec/backend/serviceName",
        "spec/rules/http/paths/backend/service/name",
        "spec/defaultBackend/service/name",
    ] {
        t.push(("Service", "Ingress", p.into()));
    }
    for target in [
        "Deployment",
        "ReplicationController",
        "ReplicaSet",
        "StatefulSet",
    ] {
        t.push((
            target,
            "HorizontalPodAutoscaler",
            "spec/scaleTargetRef/name".into(),
        ));
    }
    t.push(("Role", "RoleBinding", "roleRef/name".into()));
    t.push(("ClusterRole", "RoleBinding", "roleRef/name".into()));
    t.push(("ClusterRole", "ClusterRoleBinding", "roleRef/name".into()));
    t.push((
        "PersistentVolume",
        "PersistentVolumeClaim",
        "spec/volumeName".into(),
    ));
    t.push((
        "StorageClass",
        "PersistentVolumeClaim",
        "spec/storageClassName".into(),
    ));
    t.push((
        "StorageClass",
        "PersistentVolume",
        "spec/storageClassName".into(),
    ));
    t
}

/// Rewrites every reference to a renamed object to its current name.
pub fn fix(ra: &mut [Resource]) {
    let renamed: Vec<(String, String, String, Vec<String>, Src)> = ra
        .iter()
        .filter(|r| !r.prev.is_empty())
        .map(|r| {
            let name_src = r
                .obj
                .at(&["metadata", "name"])
                .map(|n| n.src.clone())
                .unwrap_or_else(|| r.obj.src.clone());
            (
                r.kind().to_string(),
                r.name().to_string(),
                effective_namespace(r.obj.str_at(&["metadata", "namespace"]).unwrap_or(""))
                    .to_string(),
                r.prev.iter().map(|id| id.name.clone()).collect(),
                name_src,
            )
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    let table = table();
    for r in ra.iter_mut() {
        let kind = r.kind().to_string();
        let ns =
            effective_namespace(r.obj.str_at(&["metadata", "namespace"]).unwrap_or("")).to_string();
        let role_ref_kind = r.obj.str_at(&["roleRef", "kind"]).map(str::to_string);
        for (target, referrer, path) in &table {
            if *referrer != kind {
                continue;
            }
            if path.starts_with("roleRef") && role_ref_kind.as_deref() != Some(*target) {
                continue;
            }
            let path: Vec<String> = path.split('/').map(str::to_string).collect();
            let src = r.obj.src.clone();
            visit(&mut r.obj, &path, false, &src, &mut |value: &mut Node| {
                let Some(old) = value.str().map(str::to_string) else {
                    return;
                };
                let mut candidates: Vec<&(String, String, String, Vec<String>, Src)> = renamed
                    .iter()
                    .filter(|(k, _, _, prev, _)| k == target && prev.contains(&old))
                    .collect();
                if !is_cluster_scoped(&kind) && !is_cluster_scoped(target) {
                    candidates.retain(|(_, _, cns, _, _)| *cns == ns);
                }
                let Some(first) = candidates.first() else {
                    return;
                };
                if candidates.iter().all(|c| c.1 == first.1) {
                    let via = first.4.via.clone();
                    value.rewrite(first.1.clone(), via);
                }
            });
        }
    }
}
