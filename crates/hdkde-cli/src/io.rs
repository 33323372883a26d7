//! Reading numeric matrices from `.npy`, `.csv`/`.tsv` or standard input, and writing results
//! without ever leaving a partial file or overwriting one unasked.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// A dense row-major matrix read from a file, one point per row.
#[derive(Debug, Clone)]
pub(crate) struct Matrix {
    pub(crate) rows: Vec<f64>,
    pub(crate) n: usize,
    pub(crate) d: usize,
    /// Where it came from, for messages.
    pub(crate) source: PathBuf,
}

/// Read a matrix; `-` reads CSV from standard input. Rejects empty files, ragged rows,
/// non-numeric cells and non-finite values, naming the row and column (1-based).
pub(crate) fn read_matrix(path: &Path) -> Result<Matrix, CliError> {
    let m = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| CliError::Io {
                path: path.into(),
                source,
            })?;
        read_delimited(text.as_bytes(), b',', path)?
    } else {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        let file = File::open(path).map_err(|source| CliError::Io {
            path: path.into(),
            source,
        })?;
        match ext.as_deref() {
            Some("npy") => read_npy(BufReader::new(&file), path, &file)?,
            Some("tsv") | Some("tab") => read_delimited(BufReader::new(file), b'\t', path)?,
            _ => read_delimited(BufReader::new(file), b',', path)?,
        }
    };
    if m.n == 0 || m.d == 0 {
        return Err(CliError::format(path, "no data (the file is empty)"));
    }
    if let Some(pos) = hdkde::estimator::first_non_finite(&m.rows) {
        return Err(CliError::format(
            path,
            format!(
                "non-finite value ({}) at row {}, column {}",
                m.rows[pos],
                pos / m.d + 1,
                pos % m.d + 1
            ),
        ));
    }
    Ok(m)
}

/// Read a list of numbers: a file with one value per line (or a single row), or a 1-D
/// `.npy` (a single-column or single-row 2-D array is accepted too).
pub(crate) fn read_vector(path: &Path) -> Result<Vec<f64>, CliError> {
    let m = read_matrix(path)?;
    if m.d != 1 && m.n != 1 {
        return Err(CliError::format(
            path,
            format!(
                "expected one value per line (or a 1-D array), found {} x {}",
                m.n, m.d
            ),
        ));
    }
    Ok(m.rows)
}

/// Read a covariance spectrum (see [`read_vector`]): every eigenvalue finite and `> 0`.
pub(crate) fn read_spectrum(path: &Path) -> Result<Vec<f64>, CliError> {
    let values = read_vector(path)?;
    if let Some(i) = values.iter().position(|&v| v <= 0.0) {
        return Err(CliError::format(
            path,
            format!(
                "eigenvalue {} (entry {}) is {}, but a covariance spectrum must be > 0",
                i + 1,
                i + 1,
                values[i]
            ),
        ));
    }
    Ok(values)
}

/// The start of a `.npy` stream (magic, version, header length, header text, as far as they
/// go), after checking that the header's shape, if it has one, has a size that fits in
/// memory addresses: the header parser multiplies the dimensions without checking.
/// The second value is the offset of the array data when the prelude holds the whole header.
fn npy_prelude(reader: &mut impl Read) -> Result<(Vec<u8>, Option<usize>), String> {
    let mut start = Vec::with_capacity(16);
    reader
        .by_ref()
        .take(12)
        .read_to_end(&mut start)
        .map_err(|e| e.to_string())?;
    if start.len() < 10 || !start.starts_with(b"\x93NUMPY") {
        return Ok((start, None));
    }
    let (len, prefix) = if start[6] == 1 {
        (usize::from(u16::from_le_bytes([start[8], start[9]])), 10)
    } else if start.len() == 12 {
        let b = [start[8], start[9], start[10], start[11]];
        (u32::from_le_bytes(b) as usize, 12)
    } else {
        return Ok((start, None));
    };
    reader
        .by_ref()
        .take((prefix + len.min(1 << 20)).saturating_sub(start.len()) as u64)
        .read_to_end(&mut start)
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&start[prefix.min(start.len())..]);
    let dims = text
        .split_once("'shape'")
        .and_then(|(_, rest)| rest.split_once('('))
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(tuple, _)| tuple.to_string());
    if let Some(tuple) = dims {
        let mut size: Option<u64> = Some(8);
        for field in tuple.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            let Ok(v) = field.parse::<u64>() else {
                return Ok((start, None));
            };
            size = size.and_then(|s| s.checked_mul(v));
        }
        if size.is_none_or(|s| usize::try_from(s).is_err()) {
            return Err(format!("the header's shape ({tuple}) is too large"));
        }
    }
    let offset = (prefix.checked_add(len) == Some(start.len())).then_some(start.len());
    Ok((start, offset))
}

/// A `.npy` file: the header through `reader`, the array data (doubles, where the header's
/// end is known) in parallel positioned reads of `file`.
fn read_npy(mut reader: impl Read, path: &Path, file: &File) -> Result<Matrix, CliError> {
    let bad = |msg: String| CliError::format(path, msg);
    let (prelude, offset) = npy_prelude(&mut reader).map_err(bad)?;
    let prelude_len = prelude.len() as u64;
    let mut reader = std::io::Cursor::new(prelude).chain(reader);
    let npy = npyz::NpyHeader::from_reader(&mut reader).map_err(|e| {
        // The header parser's messages span several lines; the first one says what is wrong.
        let e = e.to_string();
        let first = e
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end_matches(':')
            .trim();
        bad(format!("not a valid .npy file ({first})"))
    })?;
    let shape = npy.shape().to_vec();
    let size = |v: u64| usize::try_from(v).map_err(|_| bad(format!("dimension {v} is too large")));
    let (n, d) = match shape.as_slice() {
        [n] => (size(*n)?, 1usize),
        [n, d] => (size(*n)?, size(*d)?),
        other => {
            return Err(bad(format!(
                "expected a 1-D or 2-D array, found {} dimensions",
                other.len()
            )))
        }
    };
    let fortran = npy.order() == npyz::Order::Fortran;
    let dtype = npy.dtype();
    let type_str = match &dtype {
        npyz::DType::Plain(t) => t.clone(),
        _ => {
            return Err(bad(
                "structured arrays are not supported; use a plain float array".into(),
            ))
        }
    };
    let is_float = type_str.type_char() == npyz::TypeChar::Float;
    let width = type_str.size_field() as usize;
    if !is_float || !(width == 8 || width == 4) {
        return Err(bad(format!(
            "unsupported dtype {type_str}; expected float64 or float32"
        )));
    }
    let big = type_str.endianness() == npyz::Endianness::Big;
    let len = n
        .checked_mul(d)
        .ok_or_else(|| bad(format!("the header's shape {n} x {d} is too large")))?;
    // The header came from the prelude alone: the data start right after it.
    let data_at = offset.filter(|_| reader.get_ref().0.position() == prelude_len);
    #[cfg(not(any(unix, windows)))]
    let _ = file;
    let values = match data_at {
        // Positioned reads of a regular file (a pipe or device is read as a stream).
        #[cfg(any(unix, windows))]
        Some(at) if width == 8 && file.metadata().is_ok_and(|m| m.is_file()) => {
            read_doubles_at(file, at as u64, len, big)
        }
        _ => read_floats(&mut reader, len, width, big),
    }
    .map_err(|e| bad(format!("could not read the array data ({e})")))?;
    let rows = if fortran && d > 1 {
        let mut r = Vec::new();
        r.try_reserve_exact(n * d)
            .map_err(|_| bad(format!("a second copy of {n} x {d} values (Fortran order, to transpose) does not fit in memory")))?;
        r.resize(n * d, 0.0);
        for j in 0..d {
            for i in 0..n {
                r[i * d + j] = values[j * n + i];
            }
        }
        r
    } else {
        values
    };
    Ok(Matrix {
        rows,
        n,
        d,
        source: path.into(),
    })
}

/// `len` doubles in the given byte order from `file` at byte `at`, read in pieces of 1 MiB on
/// all threads (the copies from the page cache and the page faults of the fresh memory are
/// most of the reading time, and they parallelise). The memory is requested zeroed, which the
/// system provides lazily, so no thread writes it twice.
#[cfg(any(unix, windows))]
fn read_doubles_at(file: &File, at: u64, len: usize, big: bool) -> Result<Vec<f64>, String> {
    use rayon::prelude::*;
    const PIECE: usize = 1 << 17;
    let available = file
        .metadata()
        .map_err(|e| e.to_string())?
        .len()
        .saturating_sub(at);
    if (len as u64)
        .checked_mul(8)
        .is_none_or(|need| need > available)
    {
        return Err(format!(
            "the file ends before the {len} values its header announces"
        ));
    }
    // One fallible, zeroed allocation: a size beyond the memory is this error, not an abort.
    let mut values: Vec<f64> = bytemuck::allocation::try_zeroed_vec(len)
        .map_err(|()| format!("{len} values do not fit in memory"))?;
    values
        .par_chunks_mut(PIECE)
        .enumerate()
        .try_for_each(|(k, piece)| {
            let bytes: &mut [u8] = bytemuck::cast_slice_mut(piece);
            read_exact_at(file, bytes, at + (k * PIECE * 8) as u64)?;
            if big != cfg!(target_endian = "big") {
                piece
                    .iter_mut()
                    .for_each(|v| *v = f64::from_bits(v.to_bits().swap_bytes()));
            }
            Ok::<(), std::io::Error>(())
        })
        .map_err(|e| e.to_string())?;
    Ok(values)
}

/// Fill `buf` from `file` at byte `at`.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

/// Fill `buf` from `file` at byte `at`.
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            k => {
                buf = &mut buf[k..];
                at += k as u64;
            }
        }
    }
    Ok(())
}

/// `len` floats of `width` bytes (8 or 4) in the given byte order, widened to `f64`, read in
/// pieces of 64 KiB so that a file shorter than its header says fails early. Doubles are
/// read straight into the result's memory (no second copy of the data); singles through a
/// small buffer.
fn read_floats(
    reader: &mut impl Read,
    len: usize,
    width: usize,
    big: bool,
) -> Result<Vec<f64>, String> {
    const PIECE: usize = 8192;
    let mut values: Vec<f64> = Vec::new();
    values
        .try_reserve_exact(len)
        .map_err(|_| format!("{len} values do not fit in memory"))?;
    let short = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            format!("the file ends before the {len} values its header announces")
        } else {
            e.to_string()
        }
    };
    let mut buf = [0u8; 4 * PIECE];
    while values.len() < len {
        let start = values.len();
        let count = (len - start).min(PIECE);
        if width == 8 {
            values.resize(start + count, 0.0);
            let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut values[start..]);
            reader.read_exact(bytes).map_err(short)?;
            for v in &mut values[start..] {
                *v = if big {
                    f64::from_bits(u64::from_be(v.to_bits()))
                } else {
                    f64::from_bits(u64::from_le(v.to_bits()))
                };
            }
        } else {
            let piece = &mut buf[..4 * count];
            reader.read_exact(piece).map_err(short)?;
            values.extend(piece.chunks_exact(4).map(|b| {
                let b: [u8; 4] = b.try_into().expect("proven: chunks of 4 bytes");
                f64::from(if big {
                    f32::from_be_bytes(b)
                } else {
                    f32::from_le_bytes(b)
                })
            }));
        }
    }
    Ok(values)
}

fn read_delimited(reader: impl Read, delimiter: u8, path: &Path) -> Result<Matrix, CliError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut rows = Vec::new();
    let mut d = 0usize;
    let mut n = 0usize;
    for (index, record) in rdr.records().enumerate() {
        let record = record.map_err(|e| CliError::format(path, format!("malformed CSV ({e})")))?;
        let line = record.position().map_or(index as u64 + 1, |p| p.line());
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let parsed: Vec<Result<f64, _>> = record.iter().map(|c| c.parse::<f64>()).collect();
        if n == 0 && d == 0 && parsed.iter().any(|p| p.is_err()) {
            // A first line with a non-numeric cell is a header.
            if parsed.iter().all(|p| p.is_err()) {
                d = record.len();
                continue;
            }
        }
        if d == 0 {
            d = record.len();
        } else if record.len() != d {
            return Err(CliError::format(
                path,
                format!("line {line}: expected {d} columns, found {}", record.len()),
            ));
        }
        for (col, (p, cell)) in parsed.into_iter().zip(record.iter()).enumerate() {
            let v = p.map_err(|_| {
                CliError::format(
                    path,
                    format!("line {line}, column {}: not a number: {cell:?}", col + 1),
                )
            })?;
            if !v.is_finite() {
                return Err(CliError::format(
                    path,
                    format!(
                        "non-finite value ({v}) at row {}, column {} (line {line})",
                        n + 1,
                        col + 1
                    ),
                ));
            }
            rows.push(v);
        }
        n += 1;
    }
    Ok(Matrix {
        rows,
        n,
        d,
        source: path.into(),
    })
}

/// Check that `path` may be written: refuse an existing file unless `force`.
pub(crate) fn check_writable(path: &Path, force: bool) -> Result<(), CliError> {
    if path.exists() && !force {
        return Err(CliError::Exists(path.into()));
    }
    Ok(())
}

/// Write a matrix (`n x d`, row-major; `d = 1` writes a 1-D array or one value per line) to
/// `.npy` or `.csv` by extension, through a temporary file renamed into place, so that a
/// failure never leaves a partial file.
/// A CSV file gets the column names `header` as its first line when given; a value that is
/// NaN is refused (never written).
pub(crate) fn write_matrix(
    path: &Path,
    rows: &[f64],
    d: usize,
    header: Option<&[&str]>,
    force: bool,
) -> Result<(), CliError> {
    check_writable(path, force)?;
    if let Some(pos) = rows.iter().position(|v| v.is_nan()) {
        return Err(CliError::library(
            path.display().to_string(),
            format!(
                "not written: internal error, value {} of the result is NaN",
                pos + 1
            ),
        ));
    }
    let io_err = |source| CliError::Io {
        path: path.into(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let file = File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(file);
        let is_npy = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("npy"));
        if is_npy {
            use npyz::WriterBuilder;
            let n = (rows.len() / d.max(1)) as u64;
            let shape: Vec<u64> = if d == 1 { vec![n] } else { vec![n, d as u64] };
            let mut writer = npyz::WriteOptions::new()
                .default_dtype()
                .shape(&shape)
                .writer(&mut w)
                .begin_nd()?;
            writer.extend(rows.iter().copied())?;
            writer.finish()?;
        } else {
            if let Some(names) = header {
                writeln!(w, "{}", names.join(","))?;
            }
            write_csv(&mut w, rows, d)?;
        }
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(())
    })();
    match result.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(io_err(e))
        }
    }
}

/// Write values as CSV, `d` per line, with full round-trip precision (`-inf` as `-inf`).
pub(crate) fn write_csv(w: &mut impl Write, rows: &[f64], d: usize) -> std::io::Result<()> {
    for row in rows.chunks(d.max(1)) {
        let line: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
        writeln!(w, "{}", line.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_header_and_errors() {
        let p = Path::new("x.csv");
        let m = read_delimited("a,b\n1,2\n3,4\n".as_bytes(), b',', p).unwrap();
        assert_eq!((m.n, m.d), (2, 2));
        assert_eq!(m.rows, vec![1.0, 2.0, 3.0, 4.0]);
        let e = read_delimited("1,2\n3\n".as_bytes(), b',', p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2") && e.contains("expected 2 columns"),
            "{e}"
        );
        let e = read_delimited("1,2\n3,x\n".as_bytes(), b',', p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2, column 2") && e.contains("\"x\""), "{e}");
    }
}
