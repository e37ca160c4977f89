//! Any bytes as a compose file or the `.env` beside it: the first byte picks
//! which (even: `compose.yaml`, odd: `.env`), the rest is the file. The
//! analyzer must return, never panic, and stay bounded (alias bombs, deep
//! nesting). `seed-corpus.sh` prefixes each fixture with its selector.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let analysis = if selector % 2 == 0 {
        seamcheck_compose::analyze("app/compose.yaml", bytes)
    } else {
        seamcheck_compose::analyze_dotenv("app/.env", bytes)
    };
    assert!(analysis.path.starts_with("app/"));
});
