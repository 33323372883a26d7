//! Every subcommand refuses bad input with one `error:` line naming what and where, exit
//! status 1 (2 for an invalid command line), no panic, and no output file.

mod common;

use common::*;

#[test]
fn malformed_data_files_are_named_with_row_and_column() {
    let dir = tempdir();
    let d = dir.path();
    fixtures(d);
    let out = path(d, "out.npy");
    let cases: [(&str, &[&str]); 12] = [
        (
            "nan.csv",
            &["nan.csv", "non-finite", "row 2", "column 2", "line 3"],
        ),
        ("inf.npy", &["inf.npy", "non-finite", "row 2", "column 2"]),
        (
            "ragged.csv",
            &["ragged.csv", "line 2", "expected 2 columns, found 1"],
        ),
        (
            "word.csv",
            &["word.csv", "line 2, column 2", "not a number", "\"x\""],
        ),
        ("empty.csv", &["empty.csv", "no data"]),
        ("header_only.csv", &["header_only.csv", "no data"]),
        (
            "int.npy",
            &["int.npy", "dtype", "<i8", "float64 or float32"],
        ),
        ("corrupt.npy", &["corrupt.npy", "not a valid .npy file"]),
        ("notnpy.npy", &["notnpy.npy", "not a valid .npy file"]),
        ("short.npy", &["short.npy", "ends before the 6 values"]),
        ("cube.npy", &["cube.npy", "1-D or 2-D", "3 dimensions"]),
        ("huge.npy", &["huge.npy", "too large"]),
    ];
    for (file, needles) in cases {
        let data = path(d, file);
        fails(
            &["eval", "--data", &data, "--bandwidth", "1", "--out", &out],
            1,
            needles,
        );
        fails(&["regime", "--data", &data, "--bandwidth", "1"], 1, needles);
        fails(
            &["bandwidth", "--data", &data, "--method", "scott"],
            1,
            needles,
        );
        fails(
            &[
                "sample",
                "kde",
                "--data",
                &data,
                "--bandwidth",
                "1",
                "--n",
                "5",
                "--out",
                &out,
            ],
            1,
            needles,
        );
        // As queries too.
        let good = path(d, "data.csv");
        fails(
            &[
                "eval",
                "--data",
                &good,
                "--query",
                &data,
                "--bandwidth",
                "1",
                "--out",
                &out,
            ],
            1,
            needles,
        );
    }
    assert!(
        only_files(d, &INPUTS),
        "no output or temporary file is left"
    );
}

#[test]
fn missing_files_and_standard_input() {
    let dir = tempdir();
    let d = dir.path();
    let missing = path(d, "missing.csv");
    fails(
        &["eval", "--data", &missing, "--bandwidth", "1"],
        1,
        &["missing.csv", "No such file"],
    );
    // `-` reads CSV from standard input; errors name it and the line.
    let run = hdkde_stdin(
        &["eval", "--data", "-", "--bandwidth", "1"],
        Some("1,2\n3,oops\n"),
    );
    check_failure(
        &["eval", "--data", "-"],
        &run,
        1,
        &["-: line 2, column 2", "\"oops\""],
    );
    let run = hdkde_stdin(&["eval", "--data", "-", "--bandwidth", "1"], Some(""));
    check_failure(&["eval", "--data", "-"], &run, 1, &["no data"]);
    // Standard input can be one of the two files, not both (refused before reading it).
    let both = ["eval", "--data", "-", "--query", "-", "--bandwidth", "1"];
    let run = hdkde_stdin(&both, None);
    check_failure(&both, &run, 1, &["cannot both be standard input"]);
}

#[test]
fn dimension_mismatch_between_data_and_queries() {
    let dir = tempdir();
    let d = dir.path();
    fixtures(d);
    let (data, q2, out) = (path(d, "data.csv"), path(d, "q2.npy"), path(d, "out.csv"));
    let needles = [
        "q2.npy",
        "has 2 columns",
        "data.csv",
        "has 3",
        "same dimension",
    ];
    fails(
        &[
            "eval",
            "--data",
            &data,
            "--query",
            &q2,
            "--bandwidth",
            "0.5",
            "--out",
            &out,
        ],
        1,
        &needles,
    );
    fails(
        &[
            "regime",
            "--data",
            &data,
            "--query",
            &q2,
            "--bandwidth",
            "0.5",
            "--out",
            &out,
        ],
        1,
        &needles,
    );
    assert!(only_files(d, &INPUTS));
}
