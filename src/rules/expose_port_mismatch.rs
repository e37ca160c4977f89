//! ## What it does
//! Checks that the Dockerfile's `EXPOSE` includes the port the image's app
//! really listens on, resolved from the start command and the app's code.
//!
//! ## Why it matters
//! `EXPOSE` is what people, `docker run -P` and many platforms read to know the
//! service's port. An image that exposes 80 while the app listens on 8080 sends
//! everyone who trusts it to a port where nothing answers.
//!
//! ## Example
//! ```dockerfile
//! EXPOSE 80
//! CMD ["python", "app/main.py"]   # app.run(host="0.0.0.0", port=8080)
//! ```
//!
//! ## How to fix
//! Expose the port the app listens on (`EXPOSE 8080`), or make the app listen
//! on the exposed port.
use super::Ctx;
use crate::finding::Finding;

meta!(
    "expose-port-mismatch",
    Error,
    "the Dockerfile `EXPOSE` does not include the port the image's app listens on",
    "expose_port_mismatch.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (i, svc) in cx.services.iter().enumerate() {
        let Some(rt) = cx.image_runtime(i) else { continue };
        let Some(port) = &rt.port else { continue };
        let Some(image) = svc
            .dockerfile
            .and_then(|d| cx.inv.dockerfiles.get(d))
            .and_then(|d| d.image())
        else {
            continue;
        };
        // The model judged the list: the finding goes where its verdict says.
        let Some(at) = cx.expose_verdict(i).and_then(|v| v.mismatch) else {
            continue;
        };
        let all = image.expose();
        let Some(&first) = all.get(at) else { continue };
        let exposed: Vec<_> = all.into_iter().filter(|e| e.port.is_some()).collect();
        let list: Vec<String> = exposed.iter().map(|e| e.raw.clone()).collect();
        let mut f = Finding::new(
            META.id,
            META.severity,
            first.loc.clone(),
            format!(
                "EXPOSE {} but the app listens on {}",
                list.join(" "),
                port.value
            ),
        )
        .label(format!("exposes {}", list.join(", ")))
        .help(format!("expose {} (the port the app listens on)", port.value))
        .service(Some(&svc.name));
        f.related = port.evidence();
        out.push(f);
    }
}
