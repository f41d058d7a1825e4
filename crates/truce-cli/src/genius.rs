//! Reading GENIUS folders and files for `import genius` and `analyze DIR`:
//! the files' names and bytes; the library picks, decodes and imports them.

use crate::errors::{CliError, Input};
use crate::files::read_bytes;
use std::path::{Path, PathBuf};
use truce_genius::{import_folder, Imported, MAX_FILE_BYTES};

const HINT: &str = "GENIUS domains are folders of XML files (see docs/genius.md)";

/// Imports from folders (every file in them; the library keeps the XML
/// ones) and files.
pub fn load(paths: &[PathBuf], real_steps: u32) -> Result<Imported, CliError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // Where each name came from, to quote the file a problem is in.
    let mut origin: Vec<(String, PathBuf)> = Vec::new();
    for path in paths {
        let mut found = Vec::new();
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| CliError::Read {
                path: path.clone(),
                source: e,
                hint: HINT,
            })?;
            for entry in entries.flatten() {
                let p = entry.path();
                if p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")) {
                    found.push(p);
                }
            }
        } else if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("xml"))
        {
            found.push(path.clone());
        } else {
            return Err(CliError::Usage(format!(
                "{} is not a GENIUS file: GENIUS domains and profiles are .xml files",
                path.display()
            )));
        }
        for p in found {
            let bytes = read_bytes(&p, MAX_FILE_BYTES, HINT)?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            origin.push((name.clone(), p));
            files.push((name, bytes));
        }
    }
    let folder = paths.first().and_then(|p| folder_name(p));
    import_folder(folder.as_deref(), files, real_steps).map_err(|d| {
        let path = d
            .file
            .as_ref()
            .and_then(|name| origin.iter().find(|(n, _)| n == name))
            .map(|(_, p)| p.clone());
        let text = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| truce_genius::decode("", b).ok())
            .map(|f| f.text);
        CliError::Problems {
            path: path.unwrap_or_else(|| paths.first().cloned().unwrap_or_default()),
            text,
            input: Input::Genius,
            diagnostics: vec![d],
        }
    })
}

/// The domain's name: its folder's (the file's folder, for a file).
fn folder_name(p: &Path) -> Option<String> {
    let folder = if p.is_dir() { p } else { p.parent()? };
    let folder = folder.canonicalize().ok()?;
    folder.file_name().map(|n| n.to_string_lossy().into_owned())
}
