fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let a = seamcheck_source::analyze(&path, &bytes);
        println!("{a:#?}");
    }
}
