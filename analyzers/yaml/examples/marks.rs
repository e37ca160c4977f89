fn main() {
    let text = std::fs::read(std::env::args().nth(1).unwrap()).unwrap();
    let mut p = libyaml_safer::Parser::new();
    p.set_input(std::io::Cursor::new(&text[..]));
    loop {
        match p.parse() {
            Ok(e) => { println!("{:?} {}..{}", e.data, e.start_mark.index, e.end_mark.index); if matches!(e.data, libyaml_safer::EventData::StreamEnd) {break} }
            Err(e) => { println!("ERR {} {:?} {:?}", e, e.problem_mark(), e.context_mark()); break }
        }
    }
}
