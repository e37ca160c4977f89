//! One Kubernetes object being rendered, with the names it had before.

use crate::value::Node;

/// What identifies an object: group, version, kind, name, namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    /// `""` for the default namespace.
    pub namespace: String,
}

impl Id {
    pub fn of(obj: &Node) -> Id {
        let api = obj.str_at(&["apiVersion"]).unwrap_or("");
        let (group, version) = split_api_version(api);
        let namespace = obj.str_at(&["metadata", "namespace"]).unwrap_or("");
        Id {
            group,
            version,
            kind: obj.str_at(&["kind"]).unwrap_or("").to_string(),
            name: obj.str_at(&["metadata", "name"]).unwrap_or("").to_string(),
            namespace: effective_namespace(namespace).to_string(),
        }
    }

    pub fn same_object(&self, other: &Id) -> bool {
        self.group == other.group
            && self.kind == other.kind
            && self.name == other.name
            && self.namespace == other.namespace
    }
}

pub fn effective_namespace(ns: &str) -> &str {
    if ns == "default" {
        ""
    } else {
        ns
    }
}

pub fn split_api_version(api: &str) -> (String, String) {
    match api.rsplit_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), api.to_string()),
    }
}

#[derive(Debug, Clone)]
pub struct Resource {
    pub obj: Node,
    /// Every id the object had before its current one, oldest first.
    pub prev: Vec<Id>,
    /// A generated ConfigMap/Secret whose name gets the content hash.
    pub needs_hash: bool,
    /// Removed by a `$patch: delete` patch.
    pub deleted: bool,
}

impl Resource {
    pub fn new(obj: Node) -> Self {
        Resource {
            obj,
            prev: Vec::new(),
            needs_hash: false,
            deleted: false,
        }
    }

    pub fn id(&self) -> Id {
        Id::of(&self.obj)
    }

    pub fn kind(&self) -> &str {
        self.obj.str_at(&["kind"]).unwrap_or("")
    }

    pub fn group(&self) -> String {
        split_api_version(self.obj.str_at(&["apiVersion"]).unwrap_or("")).0
    }

    pub fn name(&self) -> &str {
        self.obj.str_at(&["metadata", "name"]).unwrap_or("")
    }

    /// The original id (before any rename), or the current one.
    pub fn org_id(&self) -> Id {
        self.prev.first().cloned().unwrap_or_else(|| self.id())
    }

    /// Remembers the current id before a rename or a namespace change.
    pub fn store_prev(&mut self) {
        let id = self.id();
        if self.prev.last() != Some(&id) {
            self.prev.push(id);
        }
    }

    /// Whether `name`/`namespace` is or was this object's.
    pub fn had_name(&self, name: &str) -> bool {
        self.prev.iter().any(|id| id.name == name)
    }
}

/// Kinds that live outside namespaces (kustomize's built-in list; unknown
/// kinds are namespaced).
pub fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "StorageClass"
            | "PriorityClass"
            | "IngressClass"
            | "RuntimeClass"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "APIService"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "PodSecurityPolicy"
            | "CertificateSigningRequest"
            | "ComponentStatus"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
            | "SelfSubjectReview"
            | "TokenReview"
            | "SelfSubjectAccessReview"
            | "SelfSubjectRulesReview"
            | "SubjectAccessReview"
    )
}

/// Groups of Kubernetes' built-in types, whose schema kustomize knows
/// (strategic merge keys apply only to them).
pub fn is_builtin_group(group: &str) -> bool {
    matches!(
        group,
        "" | "apps"
            | "batch"
            | "autoscaling"
            | "policy"
            | "networking.k8s.io"
            | "rbac.authorization.k8s.io"
            | "storage.k8s.io"
            | "scheduling.k8s.io"
            | "admissionregistration.k8s.io"
            | "apiextensions.k8s.io"
            | "coordination.k8s.io"
            | "discovery.k8s.io"
            | "node.k8s.io"
            | "certificates.k8s.io"
            | "extensions"
    )
}
