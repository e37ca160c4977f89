// scratch
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            println!("{path}: not utf8");
            continue;
        };
        let src = seamcheck_yaml::SourceMap::new(&path, text);
        let loaded = seamcheck_yaml::load_file(&src);
        let p: Vec<String> = loaded
            .problems
            .iter()
            .map(|p| format!("{}:{} {}", p.loc.line, p.loc.column, p.message))
            .collect();
        println!("{path}: docs={} {:?}", loaded.docs.len(), p);
    }
}
