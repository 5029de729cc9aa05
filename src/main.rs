//! The `realist` command line: parse arguments, run, report errors.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
