//! The rule language of red lines and linkages.
//!
//! ```text
//! rule    := implies
//! implies := or ( "->" implies )?            right-associative
//! or      := and ( ("or" | "||") and )*
//! and     := unary ( ("and" | "&&") unary )*
//! unary   := ("not" | "!") unary | "(" rule ")" | "true" | "false" | test
//! test    := ISSUE ("==" | "!=" | "<" | "<=" | ">" | ">=") OPTION
//!          | ISSUE ["not"] "in" "[" OPTION ("," OPTION)* [","] "]"
//! OPTION  := "quoted" | bare_word
//! ```
//! Order comparisons are allowed on ordered issues only and compare along the
//! issue's scale (a deferred option is on no scale and never satisfies them).
//! Rules compile to [`Constraint`]s: trees of "issue takes one of these
//! options" tests that stay inspectable, so that later search code can reason
//! about them issue by issue.

use crate::diag::{Diagnostic, ErrorKind};
use crate::model::{Issue, NumericScale};
use std::ops::Range;

/// A set of options of one issue, as a bit set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSet {
    words: Vec<u64>,
}

impl OptionSet {
    /// The empty set, for an issue with `len` options.
    pub fn empty(len: usize) -> Self {
        OptionSet {
            words: vec![0; len.div_ceil(64).max(1)],
        }
    }
    /// Adds an option.
    pub fn insert(&mut self, option: usize) {
        self.words[option / 64] |= 1 << (option % 64);
    }
    #[inline]
    /// Whether the set holds an option.
    pub fn contains(&self, option: usize) -> bool {
        self.words
            .get(option / 64)
            .is_some_and(|w| w >> (option % 64) & 1 == 1)
    }
    /// The options of an issue with `len` options that the set does not hold.
    pub fn complement(&self, len: usize) -> Self {
        let mut out = OptionSet::empty(len);
        for o in 0..len {
            if !self.contains(o) {
                out.insert(o);
            }
        }
        out
    }
    /// The set's 64-bit words, option o at bit o % 64 of word o / 64.
    pub fn words(&self) -> &[u64] {
        &self.words
    }
    /// The options held, in order, among the first `len`.
    pub fn iter(&self, len: usize) -> impl Iterator<Item = usize> + '_ {
        (0..len).filter(move |&o| self.contains(o))
    }
}

/// A compiled rule over a package (one option index per issue).
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// Always true or always false.
    Const(bool),
    /// The issue takes one of these options.
    In {
        /// The issue (scenario index).
        issue: usize,
        /// The options that satisfy the test.
        options: OptionSet,
    },
    /// Holds when the inner rule does not.
    Not(Box<Constraint>),
    /// Holds when every inner rule does.
    All(Vec<Constraint>),
    /// Holds when any inner rule does.
    Any(Vec<Constraint>),
    /// Holds unless the first holds and the second does not.
    Implies(Box<Constraint>, Box<Constraint>),
}

impl Constraint {
    #[inline]
    /// Whether a package satisfies the rule.
    pub fn holds(&self, package: &[u16]) -> bool {
        match self {
            Constraint::Const(b) => *b,
            Constraint::In { issue, options } => options.contains(package[*issue] as usize),
            Constraint::Not(c) => !c.holds(package),
            Constraint::All(cs) => cs.iter().all(|c| c.holds(package)),
            Constraint::Any(cs) => cs.iter().any(|c| c.holds(package)),
            Constraint::Implies(a, b) => !a.holds(package) || b.holds(package),
        }
    }

    /// Marks in `mentioned` every issue this rule looks at.
    pub fn mark_issues(&self, mentioned: &mut [bool]) {
        match self {
            Constraint::Const(_) => {}
            Constraint::In { issue, .. } => mentioned[*issue] = true,
            Constraint::Not(c) => c.mark_issues(mentioned),
            Constraint::All(cs) | Constraint::Any(cs) => {
                cs.iter().for_each(|c| c.mark_issues(mentioned))
            }
            Constraint::Implies(a, b) => {
                a.mark_issues(mentioned);
                b.mark_issues(mentioned);
            }
        }
    }

    /// The issues this rule looks at, in issue order.
    pub fn issues(&self, issue_count: usize) -> Vec<usize> {
        let mut mentioned = vec![false; issue_count];
        self.mark_issues(&mut mentioned);
        (0..issue_count).filter(|&i| mentioned[i]).collect()
    }
}

/// A rule that does not parse or names something unknown: a
/// [`Diagnostic`] of kind `Expression` whose span is a byte range inside
/// the rule text.
fn rule_error(message: impl Into<String>, span: Range<usize>) -> Diagnostic {
    Diagnostic::new(ErrorKind::Expression, message).at(span)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Op(&'static str),
    End,
}

fn lex(text: &str) -> Result<Vec<(Tok, Range<usize>)>, Diagnostic> {
    const OPS: [&str; 14] = [
        "->", "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]",
    ];
    let mut out = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c == ',' {
            out.push((Tok::Op(","), i..i + 1));
            i += 1;
            continue;
        }
        if c == '"' || c == '\'' {
            let start = i;
            let close = text[i + 1..].find(c).ok_or_else(|| {
                rule_error("unterminated string", start..text.len())
                    .help(format!("close the option name with {c}"))
            })?;
            let end = i + 1 + close;
            out.push((Tok::Str(text[i + 1..end].to_string()), start..end + 1));
            i = end + 1;
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < text.len() {
                let d = text[i..].chars().next().unwrap_or(' ');
                let number = c.is_ascii_digit();
                if d.is_alphanumeric()
                    || d == '_'
                    || d == '-' && !text[i..].starts_with("->")
                    || d == '.' && number
                {
                    i += d.len_utf8();
                } else {
                    break;
                }
            }
            out.push((Tok::Word(text[start..i].to_string()), start..i));
            continue;
        }
        if let Some(op) = OPS.iter().find(|op| bytes[i..].starts_with(op.as_bytes())) {
            out.push((Tok::Op(op), i..i + op.len()));
            i += op.len();
            continue;
        }
        if c == '=' {
            return Err(
                rule_error("`=` is not an operator here", i..i + 1).help("compare with `==`")
            );
        }
        return Err(rule_error(
            format!("unexpected character `{c}`"),
            i..i + c.len_utf8(),
        ));
    }
    out.push((Tok::End, text.len()..text.len()));
    Ok(out)
}

/// How deeply a rule may nest parentheses, negations and implications:
/// far beyond any rule a person writes, and well within the stack.
pub const MAX_RULE_DEPTH: usize = 100;

/// A rule's tokens, as the parser of a test reads them: the boolean
/// grammar is shared, the tests differ by where a rule is written (issue
/// tests in red lines, facts in ledger conditions).
pub struct Cursor {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
}

impl Cursor {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    /// The byte range of the next token in the rule text.
    pub fn span(&self) -> Range<usize> {
        self.toks[self.pos].1.clone()
    }
    fn bump(&mut self) -> (Tok, Range<usize>) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    /// Whether the next token is the operator `op`.
    pub fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    /// Whether the next token is the bare word `w`.
    pub fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }
    /// Takes the operator `op`, or says what was expected (`what`) instead.
    pub fn expect_op(&mut self, op: &str, what: &str) -> Result<(), Diagnostic> {
        if self.is_op(op) {
            self.bump();
            Ok(())
        } else {
            Err(rule_error(
                format!("expected `{op}` {what}, found {}", describe(self.peek())),
                self.span(),
            ))
        }
    }
    /// Takes a bare word or a quoted name, with its span; `what` names what
    /// was expected when the next token is neither.
    pub fn name(&mut self, what: &str) -> Result<(String, Range<usize>), Diagnostic> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Word(w) | Tok::Str(w) => Ok((w, span)),
            other => Err(rule_error(
                format!("expected {what}, found {}", describe(&other)),
                span,
            )),
        }
    }
    /// Takes a bare word, with its span.
    pub fn word(&mut self, what: &str) -> Result<(String, Range<usize>), Diagnostic> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Word(w) => Ok((w, span)),
            other => Err(rule_error(
                format!("expected {what}, found {}", describe(&other)),
                span,
            )),
        }
    }
    /// Takes a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`).
    pub fn comparison(&mut self) -> Option<(&'static str, Range<usize>)> {
        match self.peek() {
            Tok::Op(o @ ("==" | "!=" | "<" | "<=" | ">" | ">=")) => {
                let o = *o;
                let (_, span) = self.bump();
                Some((o, span))
            }
            _ => None,
        }
    }
    /// How the next token reads in a message.
    pub fn describe_next(&self) -> String {
        describe(self.peek())
    }
}

/// A rule with its tests left to where it is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule<T> {
    /// Always true or always false.
    Const(bool),
    /// One test.
    Test(T),
    /// Holds when the inner rule does not.
    Not(Box<Rule<T>>),
    /// Holds when every inner rule does.
    All(Vec<Rule<T>>),
    /// Holds when any inner rule does.
    Any(Vec<Rule<T>>),
    /// Holds unless the first holds and the second does not.
    Implies(Box<Rule<T>>, Box<Rule<T>>),
}

impl<T> Rule<T> {
    /// Whether the rule holds, given what each test says.
    pub fn holds(&self, test: &mut dyn FnMut(&T) -> bool) -> bool {
        match self {
            Rule::Const(b) => *b,
            Rule::Test(t) => test(t),
            Rule::Not(r) => !r.holds(test),
            Rule::All(rs) => rs.iter().all(|r| r.holds(test)),
            Rule::Any(rs) => rs.iter().any(|r| r.holds(test)),
            Rule::Implies(a, b) => !a.holds(test) || b.holds(test),
        }
    }

    /// Every test of the rule, in the order written.
    pub fn tests(&self) -> Vec<&T> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(r) = stack.pop() {
            match r {
                Rule::Const(_) => {}
                Rule::Test(t) => out.push(t),
                Rule::Not(x) => stack.push(x),
                Rule::All(rs) | Rule::Any(rs) => stack.extend(rs.iter().rev()),
                Rule::Implies(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
            }
        }
        out
    }
}

struct Parser<'a, T> {
    cur: Cursor,
    test: &'a mut dyn FnMut(&mut Cursor) -> Result<T, Diagnostic>,
    /// Nesting so far, against [`MAX_RULE_DEPTH`].
    depth: usize,
}

impl<T> Parser<'_, T> {
    /// Goes one level deeper, or refuses a rule nested too deeply.
    fn descend(&mut self) -> Result<(), Diagnostic> {
        self.depth += 1;
        if self.depth > MAX_RULE_DEPTH {
            return Err(rule_error(
                format!("the rule nests more than {MAX_RULE_DEPTH} levels deep"),
                self.cur.span(),
            )
            .help("split it into several rules, or use `and`/`or` lists instead of nesting"));
        }
        Ok(())
    }

    fn rule(&mut self) -> Result<Rule<T>, Diagnostic> {
        self.descend()?;
        let left = self.or()?;
        let c = if self.cur.is_op("->") {
            self.cur.bump();
            let right = self.rule()?;
            Rule::Implies(Box::new(left), Box::new(right))
        } else {
            left
        };
        self.depth -= 1;
        Ok(c)
    }
    fn or(&mut self) -> Result<Rule<T>, Diagnostic> {
        let mut parts = vec![self.and()?];
        while self.cur.is_op("||") || self.cur.is_word("or") {
            self.cur.bump();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Rule::Any(parts)
        })
    }
    fn and(&mut self) -> Result<Rule<T>, Diagnostic> {
        let mut parts = vec![self.unary()?];
        while self.cur.is_op("&&") || self.cur.is_word("and") {
            self.cur.bump();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Rule::All(parts)
        })
    }
    fn unary(&mut self) -> Result<Rule<T>, Diagnostic> {
        if self.cur.is_op("!") || self.cur.is_word("not") {
            self.cur.bump();
            self.descend()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Rule::Not(Box::new(inner)));
        }
        if self.cur.is_op("(") {
            self.cur.bump();
            let inner = self.rule()?;
            self.cur.expect_op(")", "to close `(`")?;
            return Ok(inner);
        }
        if self.cur.is_word("true") || self.cur.is_word("false") {
            let (t, _) = self.cur.bump();
            return Ok(Rule::Const(t == Tok::Word("true".into())));
        }
        (self.test)(&mut self.cur).map(Rule::Test)
    }
}

/// Parses a rule of the language whose tests `test` reads; `example` is a
/// rule to suggest when the text is empty.
pub fn parse_rule<T>(
    text: &str,
    example: &str,
    test: &mut dyn FnMut(&mut Cursor) -> Result<T, Diagnostic>,
) -> Result<Rule<T>, Diagnostic> {
    let toks = lex(text)?;
    let mut p = Parser {
        cur: Cursor { toks, pos: 0 },
        test,
        depth: 0,
    };
    if matches!(p.cur.peek(), Tok::End) {
        return Err(rule_error("empty rule", 0..text.len())
            .help(format!("write a test such as: {example}")));
    }
    let c = p.rule()?;
    if !matches!(p.cur.peek(), Tok::End) {
        return Err(rule_error(
            format!(
                "unexpected {} after a complete rule",
                describe(p.cur.peek())
            ),
            p.cur.span(),
        )
        .help("join tests with `and`, `or` or `->`"));
    }
    Ok(c)
}

/// An issue test of a red line or linkage: `issue == option`, `issue in [...]`.
fn issue_test(cur: &mut Cursor, issues: &[Issue]) -> Result<Constraint, Diagnostic> {
    let (tok, span) = cur.bump();
    let name = match tok {
        Tok::Word(w) => w,
        other => {
            return Err(rule_error(
                format!("expected an issue id, found {}", describe(&other)),
                span,
            ))
        }
    };
    let issue_index = issues.iter().position(|i| i.id == name).ok_or_else(|| {
        let known = issues.iter().map(|i| i.id.as_str());
        let mut e = rule_error(format!("unknown issue `{name}`"), span.clone());
        e.help = Some(match crate::diag::closest(&name, known) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!(
                "known issues: {}",
                issues
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        e
    })?;
    let issue = &issues[issue_index];
    let n = issue.options.len();
    let negated_in = if cur.is_word("not") {
        cur.bump();
        if !cur.is_word("in") {
            return Err(rule_error(
                format!("expected `in` after `not`, found {}", describe(cur.peek())),
                cur.span(),
            ));
        }
        true
    } else {
        false
    };
    if cur.is_word("in") {
        cur.bump();
        cur.expect_op("[", "to open the list of options")?;
        let mut set = OptionSet::empty(n);
        loop {
            if cur.is_op("]") {
                break;
            }
            let o = option(cur, issue)?;
            set.insert(o);
            if cur.is_op(",") {
                cur.bump();
            } else {
                break;
            }
        }
        cur.expect_op("]", "to close the list of options")?;
        if negated_in {
            set = set.complement(n);
        }
        return Ok(Constraint::In {
            issue: issue_index,
            options: set,
        });
    }
    let Some((op, op_span)) = cur.comparison() else {
        let (other, span) = cur.bump();
        return Err(rule_error(
            format!(
                "expected a comparison (==, !=, <, <=, >, >=, in) after `{name}`, found {}",
                describe(&other)
            ),
            span,
        ));
    };
    let option_span = cur.span();
    // A numeric issue compares by value, on the scale's steps or between them.
    if let (Some(scale), "<" | "<=" | ">" | ">=") = (&issue.numeric, op) {
        let (text, span) = cur.name(&format!("a number on the scale of `{}`", issue.id))?;
        let x: f64 = text.replace('_', "").parse().map_err(|_| {
            rule_error(format!("`{text}` is not a number"), span.clone()).help(format!(
                "`{}` is numeric: compare it with a number, e.g. {} <= {}",
                issue.id,
                issue.id,
                NumericScale::id(scale.value(0))
            ))
        })?;
        let mut set = OptionSet::empty(n);
        // Steps are computed as min + k × step: allow for its rounding.
        let eps = scale.step * 1e-9;
        for k in 0..issue.scale_len() {
            let v = scale.value(k);
            let keep = match op {
                "<" => v < x - eps,
                "<=" => v <= x + eps,
                ">" => v > x + eps,
                _ => v >= x - eps,
            };
            if keep {
                set.insert(k);
            }
        }
        return Ok(Constraint::In {
            issue: issue_index,
            options: set,
        });
    }
    let o = option(cur, issue)?;
    let mut set = OptionSet::empty(n);
    match op {
        "==" => set.insert(o),
        "!=" => {
            set.insert(o);
            set = set.complement(n);
        }
        _ => {
            if !issue.ordered {
                return Err(rule_error(
                    format!("`{op}` needs an ordered issue, and `{name}` is unordered"),
                    op_span,
                )
                .help(format!(
                    "use == or in [...], or mark issue `{name}` as ordered = true"
                )));
            }
            let scale = issue.scale_len();
            if o >= scale {
                return Err(rule_error(
                    "`deferred` is not on the issue's scale".to_string(),
                    option_span,
                )
                .help("compare with == or != instead"));
            }
            for x in 0..scale {
                let keep = match op {
                    "<" => x < o,
                    "<=" => x <= o,
                    ">" => x > o,
                    _ => x >= o,
                };
                if keep {
                    set.insert(x);
                }
            }
        }
    }
    Ok(Constraint::In {
        issue: issue_index,
        options: set,
    })
}

/// An option of `issue`, by id.
pub fn option(cur: &mut Cursor, issue: &Issue) -> Result<usize, Diagnostic> {
    let (id, span) = cur.name(&format!("an option of `{}`", issue.id))?;
    issue.option_index(&id).ok_or_else(|| {
        let known: Vec<&str> = issue.options.iter().map(|o| o.id.as_str()).collect();
        let help = match crate::diag::closest(&id, known.iter().copied()) {
            Some(k) => format!("did you mean \"{k}\"? options: {}", known.join(", ")),
            None => format!("options of `{}`: {}", issue.id, known.join(", ")),
        };
        rule_error(format!("issue `{}` has no option \"{id}\"", issue.id), span).help(help)
    })
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Op(o) => format!("`{o}`"),
        Tok::End => "the end of the rule".into(),
    }
}

impl From<Rule<Constraint>> for Constraint {
    fn from(r: Rule<Constraint>) -> Constraint {
        match r {
            Rule::Const(b) => Constraint::Const(b),
            Rule::Test(c) => c,
            Rule::Not(x) => Constraint::Not(Box::new(Constraint::from(*x))),
            Rule::All(xs) => Constraint::All(xs.into_iter().map(Constraint::from).collect()),
            Rule::Any(xs) => Constraint::Any(xs.into_iter().map(Constraint::from).collect()),
            Rule::Implies(a, b) => Constraint::Implies(
                Box::new(Constraint::from(*a)),
                Box::new(Constraint::from(*b)),
            ),
        }
    }
}

/// Parses and resolves a rule against the scenario's issues.
pub fn compile(text: &str, issues: &[Issue]) -> Result<Constraint, Diagnostic> {
    parse_rule(
        text,
        "crimea != \"de_jure_russian\"",
        &mut |cur: &mut Cursor| issue_test(cur, issues),
    )
    .map(Constraint::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IssueOption;

    fn issue(id: &str, ordered: bool, deferrable: bool, options: &[&str]) -> Issue {
        let mut options: Vec<IssueOption> = options
            .iter()
            .map(|o| IssueOption {
                id: o.to_string(),
                label: o.to_string(),
                basis: None,
            })
            .collect();
        if deferrable {
            options.push(IssueOption {
                id: "deferred".into(),
                label: "deferred".into(),
                basis: None,
            });
        }
        Issue {
            id: id.into(),
            question: id.into(),
            ordered,
            deferrable,
            options,
            basis: None,
            numeric: None,
        }
    }

    fn issues() -> Vec<Issue> {
        vec![
            issue("crimea", false, true, &["ukrainian", "de_facto", "de_jure"]),
            issue("sanctions", true, false, &["none", "partial", "lifted"]),
            issue("black_sea", false, false, &["halt", "continue"]),
        ]
    }

    #[test]
    fn conditions_hold_exactly_when_expected() {
        let is = issues();
        let c = compile(
            r#"black_sea == "halt" -> sanctions in ["partial", "lifted"]"#,
            &is,
        )
        .unwrap();
        assert!(c.holds(&[0, 0, 1]));
        assert!(!c.holds(&[0, 0, 0]));
        assert!(c.holds(&[0, 1, 0]));
        assert!(c.holds(&[0, 2, 0]));
    }

    #[test]
    fn order_comparisons_follow_the_scale_and_skip_deferred() {
        let is = issues();
        let c = compile("sanctions >= partial", &is).unwrap();
        assert!(!c.holds(&[0, 0, 0]));
        assert!(c.holds(&[0, 1, 0]));
        let c = compile("crimea != 'de_jure' and not crimea == deferred", &is).unwrap();
        assert!(c.holds(&[0, 0, 0]));
        assert!(!c.holds(&[2, 0, 0]));
        assert!(!c.holds(&[3, 0, 0]));
        let c = compile("crimea not in [de_jure, deferred] || false", &is).unwrap();
        assert!(c.holds(&[1, 0, 0]));
        assert!(!c.holds(&[3, 0, 0]));
    }

    #[test]
    fn implication_is_right_associative_and_binds_loosest() {
        let is = issues();
        let c = compile(
            "black_sea == halt -> sanctions == none -> crimea == ukrainian",
            &is,
        )
        .unwrap();
        // halt, none, de_facto: the innermost implication fails.
        assert!(!c.holds(&[1, 0, 0]));
        assert!(c.holds(&[1, 1, 0]));
        assert_eq!(c.issues(3), vec![0, 1, 2]);
    }

    #[test]
    fn errors_point_at_the_offending_text() {
        let is = issues();
        let text = r#"crimea != "de_jur""#;
        let e = compile(text, &is).unwrap_err();
        assert_eq!(&text[e.span.clone().unwrap()], "\"de_jur\"");
        assert!(e.help.unwrap().contains("de_jure"));

        let text = "crimaa == ukrainian";
        let e = compile(text, &is).unwrap_err();
        assert_eq!(&text[e.span.clone().unwrap()], "crimaa");

        let e = compile("crimea > de_facto", &is).unwrap_err();
        assert!(e.message.contains("ordered"));

        let text = "crimea == ukrainian and";
        let e = compile(text, &is).unwrap_err();
        assert_eq!(e.span, Some(text.len()..text.len()));

        let e = compile("crimea = ukrainian", &is).unwrap_err();
        assert!(e.help.unwrap().contains("=="));

        let e = compile("(crimea == ukrainian", &is).unwrap_err();
        assert!(e.message.contains(")"));

        let e = compile("crimea == 'ukrainian", &is).unwrap_err();
        assert!(e.message.contains("unterminated"));

        let e = compile("crimea == ukrainian sanctions == none", &is).unwrap_err();
        assert!(e.message.contains("unexpected"));
        assert!(compile("", &is).is_err());
    }
}
