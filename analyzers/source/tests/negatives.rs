//! What must not be reported: sleeps outside handlers, ports in comments and
//! strings, unrelated `run` and `sleep` calls.

mod common;
use common::{facts, pos, text_at};

const WORKER_APP: &str = r#"import os
import threading
import time

import psycopg2
from flask import Flask

app = Flask(__name__)


def connect_with_retry():
    for attempt in range(10):
        try:
            return psycopg2.connect(os.environ["DATABASE_URL"])
        except psycopg2.OperationalError:
            time.sleep(2)


def worker_loop():
    while True:
        drain_queue()
        time.sleep(5)


conn = connect_with_retry()
threading.Thread(target=worker_loop, daemon=True).start()


@app.route("/")
def index():
    def background():
        time.sleep(30)

    threading.Thread(target=background).start()
    return "queued", 202


if __name__ == "__main__":
    while not ready():
        time.sleep(1)
    app.run(host="0.0.0.0", port=5000)
"#;

#[test]
fn sleeps_in_workers_retries_nested_defs_and_the_guard_are_not_handler_sleeps() {
    let f = facts("worker.py", WORKER_APP);
    assert!(f.handler_sleeps.is_empty(), "{:?}", f.handler_sleeps);
    assert_eq!(f.routes.len(), 1);
    // The nested def's body is not the handler's: only the handler's return counts.
    let statuses: Vec<_> = f.routes[0].returns.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(202)]);
    assert_eq!(f.listens.len(), 1);
}

#[test]
fn ports_in_comments_and_strings_are_not_listens() {
    let text = r#"from flask import Flask

app = Flask(__name__)
# app.run(host="0.0.0.0", port=9999)
USAGE = "run with app.run(port=7777) or uvicorn.run(app, port=6666)"
"""
Deploy note: uvicorn.run(app, port=5555)
"""


@app.route("/")
def index():
    return USAGE
"#;
    let f = facts("app.py", text);
    assert!(f.listens.is_empty(), "{:?}", f.listens);
    assert!(f.main_guard.is_none());
}

#[test]
fn run_and_sleep_on_unrelated_objects_are_ignored() {
    let text = r#"import subprocess
from flask import Flask
from gevent import sleep

app = Flask(__name__)
scheduler = Scheduler()
scheduler.run(port=9000)
subprocess.run(["ls"])


@app.route("/poll")
def poll():
    sleep(1)
    return "ok"
"#;
    let f = facts("app.py", text);
    assert!(f.listens.is_empty(), "{:?}", f.listens);
    assert!(f.handler_sleeps.is_empty(), "{:?}", f.handler_sleeps);
}

#[test]
fn sleep_imported_from_time_and_guarded_sleeps() {
    let text = r#"import os
from time import sleep as pause
from flask import Flask, current_app
from config import settings

app = Flask(__name__)
DELAY = 3


@app.route("/a")
def a():
    if os.environ.get("CHAOS_DELAY"):
        pause(DELAY)
    return "a"


@app.route("/b")
async def b():
    if settings.inject_latency:
        pause(0.5)
    elif current_app.config["SLOW"]:
        pause(1)
    else:
        pause(2)
    return "b"


@app.route("/c")
def c():
    if request_is_large():
        pause(1)
    return "c"


MAX_RETRIES = 3
SLOW_MODE = False


@app.route("/d")
def d():
    for attempt in range(5):
        if attempt > MAX_RETRIES:
            pause(1)
    if not SLOW_MODE:
        return "d"
    pause(4)
    if (not SLOW_MODE):
        pause(5)
    return "d"
"#;
    let f = facts("app.py", text);
    let seen: Vec<_> = f
        .handler_sleeps
        .iter()
        .map(|s| (s.handler.as_str(), s.call.as_str(), s.seconds, s.guarded))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("a", "pause", Some(3.0), true),
            ("b", "pause", Some(0.5), true),
            ("b", "pause", Some(1.0), true),
            ("b", "pause", Some(2.0), true),
            ("c", "pause", Some(1.0), false),
            // A retry in a handler blocks the request; `> MAX_RETRIES` is no switch.
            ("d", "pause", Some(1.0), false),
            ("d", "pause", Some(4.0), false),
            ("d", "pause", Some(5.0), true),
        ]
    );
    let first = &f.handler_sleeps[0];
    assert_eq!(pos(&first.loc), (13, 9, 13, 20));
    let guard = first.guard_condition.as_ref().expect("guard");
    assert_eq!(text_at(text, guard), "os.environ.get(\"CHAOS_DELAY\")");
    assert!(f.handler_sleeps[1].handler_is_async);
}

#[test]
fn files_that_mention_no_framework_are_not_parsed() {
    let analysis = common::analyze("scripts/old.py", "print \"python 2\"\ntime.sleep(1)\n");
    assert!(matches!(analysis.facts, seamcheck_facts::Facts::Empty));
    assert!(analysis.problems.is_empty());
}

#[test]
fn files_no_module_reads_are_empty_and_silent() {
    let analysis = common::analyze("docs/notes.txt", "app.listen(3000)\n");
    assert!(matches!(analysis.facts, seamcheck_facts::Facts::Empty));
    assert!(analysis.notes.is_empty());
    assert!(analysis.problems.is_empty());
    assert!(seamcheck_source::analyzer_for("a/b/App.PY").is_some());
    assert!(seamcheck_source::analyzer_for("Makefile").is_none());
}
