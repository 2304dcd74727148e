//! Thin entry point: parse the command line and hand over to the library.
use clap::Parser;

fn main() -> std::process::ExitCode {
    attache::cli::main(attache::cli::Cli::parse())
}
