//! `attache cluster FILE...`: event NDJSON in, one cluster record per line out.
use std::io::{BufReader, Write};
use std::process::ExitCode;

use super::{cluster_reader, new_index};
use crate::config::Config;
use crate::publish::to_tagged_json;

/// Clusters every event of `inputs` (files, or `-` for stdin) together and
/// prints the final clusters. An unreadable file or a line that is not an
/// event is reported on stderr by name and line; the rest still counts, and
/// the exit code is then 1.
pub fn run(config: &Config, inputs: &[String]) -> ExitCode {
    let mut index = match new_index(config) {
        Ok(index) => index,
        Err(err) => {
            eprintln!("attache: {err}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for input in inputs {
        let result = if input == "-" {
            cluster_reader(&mut index, "stdin", std::io::stdin().lock())
        } else {
            match std::fs::File::open(input) {
                Ok(file) => cluster_reader(&mut index, input, BufReader::new(file)),
                Err(err) => {
                    eprintln!("attache: {input}: cannot read file: {err}");
                    failed = true;
                    continue;
                }
            }
        };
        match result {
            Ok(skipped) => {
                for s in skipped {
                    eprintln!("attache: {input}:{}: {}", s.line, s.error);
                    failed = true;
                }
            }
            Err(err) => {
                eprintln!("attache: {input}: {err}");
                failed = true;
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for cluster in index.clusters() {
        let line = match to_tagged_json("cluster", cluster) {
            Ok(line) => line,
            Err(err) => {
                eprintln!("attache: cannot serialize cluster {}: {err}", cluster.id);
                return ExitCode::FAILURE;
            }
        };
        if out
            .write_all(&line)
            .and_then(|_| out.write_all(b"\n"))
            .is_err()
        {
            return ExitCode::FAILURE;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
