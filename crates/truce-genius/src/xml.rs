//! A small element tree over quick-xml, keeping each element's byte offset
//! so errors can point into the file.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// Byte range of the start tag.
    pub span: Range<usize>,
}

impl Element {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    /// The first element with this name, depth first, this one included.
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// A malformed document: what and where (byte offset).
#[derive(Debug, Clone, PartialEq)]
pub struct XmlError {
    pub message: String,
    pub at: usize,
}

fn element(e: &BytesStart, span: Range<usize>) -> Result<Element, XmlError> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| XmlError {
            message: format!("bad attribute in <{name}>: {err}"),
            at: span.start,
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|err| XmlError {
                message: format!("bad value of attribute `{key}` in <{name}>: {err}"),
                at: span.start,
            })?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        span,
    })
}

/// Puts a finished element under its parent, or makes it the root.
fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    el: Element,
    at: usize,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None if root.is_none() => *root = Some(el),
        None => {
            return Err(XmlError {
                message: "more than one root element".into(),
                at,
            })
        }
    }
    Ok(())
}

/// How deeply elements may nest: GENIUS files nest four or five levels;
/// the tree's users recurse, so the depth is bounded well within the stack.
pub const MAX_DEPTH: usize = 64;

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|err| XmlError {
            message: format!("malformed XML: {err}"),
            at: reader.error_position() as usize,
        })?;
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        message: format!("elements nest more than {MAX_DEPTH} levels deep"),
                        at: start,
                    });
                }
                stack.push(element(&e, start..end)?)
            }
            Event::Empty(e) => {
                let el = element(&e, start..end)?;
                attach(&mut stack, &mut root, el, start)?;
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(XmlError {
                        message: "closing tag without an opening tag".into(),
                        at: start,
                    });
                };
                attach(&mut stack, &mut root, el, start)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            message: format!("<{}> is never closed", open.name),
            at: open.span.start,
        });
    }
    root.ok_or(XmlError {
        message: "no root element".into(),
        at: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_tree_with_positions() {
        let text = "<a x=\"1\">\n  <b y=\"&amp;\"/>\n  <c></c>\n</a>";
        let root = parse(text).unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("x"), Some("1"));
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.children[0].attr("y"), Some("&"));
        assert_eq!(&text[root.children[0].span.clone()], "<b y=\"&amp;\"/>");
    }

    #[test]
    fn malformed_documents_are_located() {
        let e = parse("<a>\n<b></c>\n</a>").unwrap_err();
        assert!(e.message.contains("malformed"), "{}", e.message);
        assert!(e.at > 3);
        assert!(parse("<a><b></b>").is_err());
        assert!(parse("").is_err());
    }
}
