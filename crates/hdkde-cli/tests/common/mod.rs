//! Helpers shared by the command-line tests: running `hdkde`, writing small input files,
//! reading its outputs.
#![allow(dead_code)] // Each test binary uses a different subset of the helpers.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The result of one run of `hdkde`.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Run `hdkde args...` (with `RUST_BACKTRACE=1`, to show that no hint reaches users).
pub(crate) fn hdkde(args: &[&str]) -> Run {
    hdkde_stdin(args, None)
}

/// Run `hdkde args...` with `input` on standard input.
pub(crate) fn hdkde_stdin(args: &[&str], input: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hdkde"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the hdkde binary runs");
    if let Some(text) = input {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(text.as_bytes()).expect("write stdin");
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("hdkde finishes");
    let run = Run {
        code: status
            .code()
            .expect("hdkde exits normally, not by a signal"),
        stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(stderr).expect("utf-8 stderr"),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{args:?} panicked: {}",
        run.stderr
    );
    run
}

/// Run and require success; returns standard output.
pub(crate) fn ok(args: &[&str]) -> String {
    let run = hdkde(args);
    assert_eq!(run.code, 0, "{args:?} failed: {}", run.stderr);
    run.stdout
}

/// Run and require failure with exit status `code` and a one-line `error:` message containing
/// every string of `needles`; returns the message.
pub(crate) fn fails(args: &[&str], code: i32, needles: &[&str]) -> String {
    let run = hdkde(args);
    check_failure(args, &run, code, needles);
    run.stderr
}

pub(crate) fn check_failure(args: &[&str], run: &Run, code: i32, needles: &[&str]) {
    assert_eq!(
        run.code, code,
        "{args:?}: exit status; stderr: {}",
        run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "{args:?}: no output on failure: {}",
        run.stdout
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{args:?}: one line on stderr: {:?}",
        run.stderr
    );
    assert!(lines[0].starts_with("error: "), "{args:?}: {}", lines[0]);
    for needle in needles {
        assert!(
            lines[0].contains(needle),
            "{args:?}: {:?} should mention {needle:?}",
            lines[0]
        );
    }
}

/// A path inside `dir`, as a string for the command line.
pub(crate) fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// Write `text` to `dir/name` and return the path.
pub(crate) fn write_text(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write test file");
    p.to_string_lossy().into_owned()
}

/// A `.npy` file by hand: the magic string, version 1.0, the header dict padded with spaces
/// to a multiple of 64 bytes, then the raw data.
pub(crate) fn npy_bytes(descr: &str, fortran: bool, shape: &[usize], data: &[u8]) -> Vec<u8> {
    let shape = match shape {
        [n] => format!("({n},)"),
        s => format!(
            "({})",
            s.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let order = if fortran { "True" } else { "False" };
    let mut header =
        format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((header.len() as u16).to_le_bytes());
    out.extend(header.as_bytes());
    out.extend(data);
    out
}

/// Write a little-endian float64 `.npy` of `rows` (`n x d`, row-major) in C order.
pub(crate) fn write_npy(dir: &Path, name: &str, rows: &[f64], d: usize) -> String {
    let data: Vec<u8> = rows.iter().flat_map(|v| v.to_le_bytes()).collect();
    let shape = [rows.len() / d, d];
    let p = dir.join(name);
    std::fs::write(&p, npy_bytes("<f8", false, &shape, &data)).expect("write npy");
    p.to_string_lossy().into_owned()
}

/// Read a float64 `.npy` written by `hdkde`: shape and values (row-major).
pub(crate) fn read_npy(p: impl AsRef<Path>) -> (Vec<u64>, Vec<f64>) {
    let bytes = std::fs::read(p).expect("read npy");
    let npy = npyz::NpyFile::new(&bytes[..]).expect("valid npy");
    let shape = npy.shape().to_vec();
    (shape, npy.into_vec::<f64>().expect("f64 data"))
}

/// Parse CSV text of numbers (no header) into rows.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|c| c.trim().parse::<f64>().expect("a number"))
                .collect()
        })
        .collect()
}

/// A deterministic data set with exactly representable values (so that numpy reads the
/// same numbers): `x[i][j] = ((37 i + 11 j + 5 i j) mod 23) / 7 - 1.5`, `n x 3`.
pub(crate) fn lattice_data(n: usize) -> Vec<f64> {
    let mut v = Vec::with_capacity(n * 3);
    for i in 0..n {
        for j in 0..3 {
            v.push(((i * 37 + j * 11 + i * j * 5) % 23) as f64 / 7.0 - 1.5);
        }
    }
    v
}

/// Queries to go with [`lattice_data`]: `q[i][j] = ((13 i + 29 j) mod 17) / 5 - 1.6`.
pub(crate) fn lattice_queries(m: usize) -> Vec<f64> {
    let mut v = Vec::with_capacity(m * 3);
    for i in 0..m {
        for j in 0..3 {
            v.push(((i * 13 + j * 29) % 17) as f64 / 5.0 - 1.6);
        }
    }
    v
}

/// Rows as CSV text, with round-trip precision.
pub(crate) fn csv_text(rows: &[f64], d: usize) -> String {
    rows.chunks(d)
        .map(|r| {
            r.iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect()
}

/// A fresh temporary directory.
pub(crate) fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

/// `true` if `dir` holds nothing but `keep` (no output, no temporary file left behind).
pub(crate) fn only_files(dir: &Path, keep: &[&str]) -> bool {
    let names: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    names.iter().all(|p| {
        keep.iter()
            .any(|k| p.file_name().is_some_and(|f| f == std::ffi::OsStr::new(k)))
    })
}

/// Parse a JSON document printed by `hdkde`.
pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).expect("valid JSON")
}

/// The numbers of a JSON array.
pub(crate) fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// `gaussian_kde(x.T).factor` (Scott's rule) with scipy 1.17.1 for `x = lattice_data(40)`.
pub(crate) const SCIPY_SCOTT_FACTOR: f64 = 0.5903836027749966;

/// Small valid inputs: `data.csv` (40 x 3), `q3.npy` (4 x 3), `q2.npy` (4 x 2), and broken
/// files of every kind.
pub(crate) fn fixtures(dir: &std::path::Path) {
    write_text(dir, "data.csv", &csv_text(&lattice_data(40), 3));
    write_npy(dir, "q3.npy", &lattice_queries(4), 3);
    write_npy(dir, "q2.npy", &[0.0; 8], 2);
    write_text(dir, "nan.csv", "a,b\n1,2\n3,nan\n5,6\n");
    write_text(dir, "ragged.csv", "1,2\n3\n");
    write_text(dir, "word.csv", "1,2\n3,x\n");
    write_text(dir, "empty.csv", "");
    write_text(dir, "header_only.csv", "a,b,c\n");
    let mut inf = vec![1.0; 6];
    inf[3] = f64::INFINITY;
    write_npy(dir, "inf.npy", &inf, 2);
    let ints: Vec<u8> = (0..6i64).flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(dir.join("int.npy"), npy_bytes("<i8", false, &[3, 2], &ints)).unwrap();
    let mut corrupt = b"\x93NUMPY\x01\x00\x10\x00".to_vec();
    corrupt.extend(b"{garbage}      \n");
    std::fs::write(dir.join("corrupt.npy"), corrupt).unwrap();
    std::fs::write(dir.join("notnpy.npy"), b"hello, world").unwrap();
    let short: Vec<u8> = [1.0f64, 2.0].iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(
        dir.join("short.npy"),
        npy_bytes("<f8", false, &[3, 2], &short),
    )
    .unwrap();
    let cube: Vec<u8> = [0.0f64; 8].iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(
        dir.join("cube.npy"),
        npy_bytes("<f8", false, &[2, 2, 2], &cube),
    )
    .unwrap();
    // A header whose size overflows 64 bits (the data are absent).
    std::fs::write(
        dir.join("huge.npy"),
        npy_bytes("<f8", false, &[1 << 32, (1 << 32) + 1], &[]),
    )
    .unwrap();
}

pub(crate) const INPUTS: [&str; 15] = [
    "data.csv",
    "q3.npy",
    "q2.npy",
    "nan.csv",
    "ragged.csv",
    "word.csv",
    "empty.csv",
    "header_only.csv",
    "inf.npy",
    "int.npy",
    "corrupt.npy",
    "notnpy.npy",
    "short.npy",
    "cube.npy",
    "huge.npy",
];
