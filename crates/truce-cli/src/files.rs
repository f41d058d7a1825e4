//! Reading input files, each kind within its size bound, as text or as a
//! located problem.

use crate::errors::{CliError, Input};
use std::io::Read;
use std::path::Path;

/// The bytes of `path`, refused past `limit` bytes without reading on
/// (`/dev/zero` never ends).
pub fn read_bytes(path: &Path, limit: u64, hint: &'static str) -> Result<Vec<u8>, CliError> {
    let error = |source| CliError::Read {
        path: path.to_path_buf(),
        source,
        hint,
    };
    let file = std::fs::File::open(path).map_err(error)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(error)?;
    if bytes.len() as u64 > limit {
        return Err(CliError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// The text of `path`; invalid UTF-8 is a problem located at its line and
/// column.
pub fn read_text(
    path: &Path,
    limit: u64,
    hint: &'static str,
    input: Input,
) -> Result<String, CliError> {
    let bytes = read_bytes(path, limit, hint)?;
    let name = path.display().to_string();
    truce_engine::diag::utf8_text(&name, bytes).map_err(|d| CliError::Problems {
        path: path.to_path_buf(),
        text: None,
        input,
        diagnostics: vec![d],
    })
}
