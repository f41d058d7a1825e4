//! Reading GENIUS folders and files for `import genius` and `analyze DIR`.

use crate::errors::CliError;
use std::path::PathBuf;
use truce_genius::{import, GeniusFile, ImportOptions, Imported};

/// Imports from folders (every `*.xml` in them) and files.
pub fn load(paths: &[PathBuf], real_steps: u32) -> Result<Imported, CliError> {
    let mut files: Vec<(PathBuf, GeniusFile)> = Vec::new();
    for path in paths {
        let mut found = Vec::new();
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| CliError::Read {
                path: path.clone(),
                source: e,
            })?;
            for entry in entries.flatten() {
                let p = entry.path();
                if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")) {
                    found.push(p);
                }
            }
            found.sort();
        } else {
            found.push(path.clone());
        }
        for p in found {
            let text = std::fs::read_to_string(&p).map_err(|e| CliError::Read {
                path: p.clone(),
                source: e,
            })?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((p, GeniusFile { name, text }));
        }
    }
    let name = paths
        .first()
        .map(|p| {
            let p = if p.is_dir() {
                p.as_path()
            } else {
                p.parent().unwrap_or(p)
            };
            p.canonicalize()
                .ok()
                .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "GENIUS domain".into())
        })
        .unwrap_or_else(|| "GENIUS domain".into());
    let options = ImportOptions { name, real_steps };
    let gfiles: Vec<GeniusFile> = files.iter().map(|(_, f)| f.clone()).collect();
    import(&gfiles, &options).map_err(|err| {
        let source = err
            .file
            .as_ref()
            .and_then(|name| files.iter().find(|(_, f)| &f.name == name));
        CliError::Genius {
            path: source.map(|(p, _)| p.clone()),
            text: source.map(|(_, f)| f.text.clone()).unwrap_or_default(),
            err: Box::new(err),
        }
    })
}
