//! Generated source code: protobuf and gRPC stubs, Kubernetes deep-copy
//! functions, designer files. They hold no listener, route or handler that
//! seamcheck models (a generated gRPC stub registers a service; the server is
//! started by hand-written code), yet in a Go or Python monorepo they are
//! among the largest files to parse. Recognised by the name conventions of
//! their generators, never by reading them; skipped with one summary note.

/// Whether a report path (relative, `/`-separated) names generated code.
pub fn is_generated(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    const SUFFIXES: &[&str] = &[
        // protoc-gen-go, protoc-gen-go-grpc, grpc-gateway, protoc-gen-validate.
        ".pb.go",
        ".pb.gw.go",
        ".pb.validate.go",
        // protoc's Python plugins.
        "_pb2.py",
        "_pb2_grpc.py",
        "_pb2.pyi",
        // grpc-tools for Node, protoc-gen-ts.
        "_pb.js",
        "_grpc_pb.js",
        "_pb.d.ts",
        "_grpc_pb.d.ts",
        // Grpc.Tools for C#, WinForms/resources designers.
        ".g.cs",
        ".designer.cs",
        ".Designer.cs",
    ];
    // controller-gen / deepcopy-gen: `zz_generated.deepcopy.go`.
    SUFFIXES
        .iter()
        .any(|s| name.ends_with(s) && name.len() > s.len())
        || (name.starts_with("zz_generated") && name.ends_with(".go"))
}

/// The summary note's text for `count` skipped files.
pub fn summary(count: usize) -> String {
    let files = if count == 1 { "file" } else { "files" };
    format!(
        "{count} generated source {files} skipped (protobuf/gRPC stubs such as `*.pb.go`, `*_pb2.py`, `*_pb.js`, `*.g.cs`; `zz_generated*.go`; designer files): they start no server"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names() {
        for rel in [
            "api/v1/orders.pb.go",
            "api/v1/orders_grpc.pb.go",
            "api/v1/orders.pb.gw.go",
            "gen/orders_pb2.py",
            "gen/orders_pb2_grpc.py",
            "web/gen/orders_pb.js",
            "web/gen/orders_grpc_pb.js",
            "Protos/Orders.g.cs",
            "Forms/Main.Designer.cs",
            "api/v1/zz_generated.deepcopy.go",
        ] {
            assert!(is_generated(rel), "{rel}");
        }
        for rel in [
            "main.go",
            "server.py",
            "pb.go",
            "cmd/pb/main.go",
            "app/pb2.py",
            "orders.proto",
            "Program.cs",
            "deploy/orders.pb.yaml",
        ] {
            assert!(!is_generated(rel), "{rel}");
        }
    }
}
