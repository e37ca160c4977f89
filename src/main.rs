fn main() {
    std::process::exit(seamcheck::cli::main())
}
