//! A GENIUS domain as a front end finds it: files by name and bytes, in
//! whatever encoding their XML declaration names.

use crate::{genius_error, import, GeniusFile, ImportOptions, Imported};
use truce_engine::diag::utf8_text;
use truce_engine::Diagnostic;

/// The most steps a real issue's range may be cut into (`--real-steps`).
pub const MAX_REAL_STEPS: u32 = 10_000;

/// The largest GENIUS file truce reads (the largest ANAC file is a few
/// hundred kilobytes).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The name a domain gets when its folder has none.
pub(crate) const UNNAMED: &str = "GENIUS domain";

/// Imports a domain from `files` (name, bytes): the `.xml` ones among them,
/// in name order, each decoded by its declared encoding. `folder` names the
/// scenario; real issues are cut into `real_steps` steps.
pub fn import_folder(
    folder: Option<&str>,
    files: Vec<(String, Vec<u8>)>,
    real_steps: u32,
) -> Result<Imported, Diagnostic> {
    let mut xml: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, _)| {
            std::path::Path::new(name)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("xml"))
        })
        .collect();
    xml.sort_by(|a, b| a.0.cmp(&b.0));
    let decoded = xml
        .into_iter()
        .map(|(name, bytes)| decode(&name, bytes))
        .collect::<Result<Vec<_>, _>>()?;
    let options = ImportOptions {
        name: folder.unwrap_or(UNNAMED).to_string(),
        real_steps,
    };
    import(&decoded, &options)
}

/// One file's text, decoded by the encoding its XML declaration names
/// (UTF-8 when it names none); a byte the encoding cannot decode is a
/// located problem.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<GeniusFile, Diagnostic> {
    let label = declared_encoding(&bytes);
    let encoding = match label {
        None => encoding_rs::UTF_8,
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            genius_error(
                Some(name),
                format!("unknown encoding `{label}` in the XML declaration"),
            )
            .help("declare UTF-8, ISO-8859-1 or another standard encoding")
        })?,
    };
    let text = if encoding == encoding_rs::UTF_8 {
        utf8_text(name, bytes)?
    } else {
        match encoding.decode_without_bom_handling_and_without_replacement(&bytes) {
            Some(text) => text.into_owned(),
            None => {
                return Err(genius_error(
                    Some(name),
                    format!("the file is not valid {} text", encoding.name()),
                )
                .help("check the encoding the XML declaration names"))
            }
        }
    };
    Ok(GeniusFile {
        name: name.to_string(),
        text,
    })
}

/// The `encoding` of an `<?xml ... ?>` declaration at the start, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(256)];
    let head: String = head.iter().map(|&b| b as char).collect();
    let decl = head.strip_prefix("\u{FEFF}").unwrap_or(&head);
    let decl = decl.trim_start();
    if !decl.starts_with("<?xml") {
        return None;
    }
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_encoding_is_found() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><a/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding(b"<a/>"), None);
    }

    #[test]
    fn latin1_text_is_decoded() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a n=\"".to_vec();
        bytes.push(0xE9); // é in Latin-1
        bytes.extend_from_slice(b"\"/>");
        let f = decode("x.xml", bytes).unwrap();
        assert!(f.text.contains("n=\"é\""), "{}", f.text);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let d = decode("x.xml", b"<a>\n  <b n=\"\xff\"/></a>".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(9)));
        assert_eq!(d.file.as_deref(), Some("x.xml"));
    }
}
