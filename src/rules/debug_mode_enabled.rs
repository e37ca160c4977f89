//! ## What it does
//! Finds debug server mode in the code path the container really runs:
//! `app.run(debug=True)` in the file the start command runs, `flask run
//! --debug`, `FLASK_DEBUG=1`, `uvicorn --reload`. A `debug=True` inside
//! `if __name__ == "__main__":` that a gunicorn or uvicorn command bypasses is
//! not reported.
//!
//! ## Why it matters
//! Flask's debugger lets anyone who can reach the port run code in the
//! container; reloaders watch the file system and restart workers in
//! production; debug mode leaks stack traces.
//!
//! ## Example
//! ```python
//! if __name__ == "__main__":
//!     app.run(host="0.0.0.0", port=8080, debug=True)   # CMD ["python", "main.py"]
//! ```
//!
//! ## How to fix
//! Turn debug off in the image (`debug=False`, drop `--debug`/`--reload`), and
//! serve with a production server such as gunicorn.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "debug-mode-enabled",
    Warning,
    "debug server mode in the code path the container runs"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (i, svc) in cx.services.iter().enumerate() {
        for rt in cx.runtimes_of(i) {
            let Some(debug) = &rt.debug else { continue };
            if !debug.value {
                continue;
            }
            let mut f = Finding::new(
                META.id,
                META.severity,
                debug.loc.clone(),
                format!("debug mode is on in the container ({})", debug.describe),
            )
            .label("debug mode in the code that runs")
            .help("turn debug off in the image and serve with a production server")
            .service(Some(&svc.name));
            f.key = debug.describe.clone();
            if let Some(cmd) = &rt.command_loc {
                if *cmd != debug.loc {
                    f = f.related(cmd, "the start command that runs it");
                }
            }
            out.push(f);
        }
    }
}
