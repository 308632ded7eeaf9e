//! JSON Schema `pattern`s compiled at code-generation time.
//!
//! A pattern is an ECMAScript regular expression, matched anywhere in the
//! value (an unanchored search). We parse a conservative, well-defined subset
//! and compile it to a small Thompson-style program that
//! `src/pattern.rs` runs in linear time; a pattern outside the subset is
//! [`Unsupported`], and the caller keeps typify's `regress` check for it.
//!
//! The subset: literal characters (up to U+FFFF); escaped ASCII punctuation
//! (`\+ \| \. \- \\ \( …`); `\d \D \w \W \s \S` (ASCII digits and word
//! characters, ECMAScript's WhiteSpace and LineTerminator set); `\t \n \r \f
//! \v`, `\xHH`, `\uXXXX` (not a surrogate); classes `[…]` and `[^…]` with
//! ranges and those escapes; `.` (anything but `\n \r \u2028 \u2029`); groups
//! `(…)` and `(?:…)`; `|`; `* + ? {n} {n,} {n,m}`, each optionally lazy;
//! `^` and `$` (start and end of the whole value). Anything else —
//! backreferences, lookaround, `\b`, named groups, `\p{…}`, `\c`, Annex B
//! oddities such as a lone `{` or `]` — is unsupported.
//!
//! Matching is on Unicode scalar values, as `regress` does on a `&str` and
//! ECMAScript does with the `u` flag. Without that flag ECMAScript sees a
//! character beyond U+FFFF as two UTF-16 code units, which `.`, negated
//! classes and `\D \S \W` match one at a time (`^.$` does not match "😀" in
//! a browser, here it does); such characters in a pattern are unsupported.
//!
//! Yes/no matching needs no backtracking order: greedy and lazy quantifiers
//! give the same answer, and so does ECMAScript's rule that an iteration of
//! `*` may not match the empty string.
//!
//! Dependency-free: the build script, `xtask` and tests all compile it.

use std::fmt;

/// The most instructions a compiled pattern may have; more is unsupported.
pub const MAX_INSTS: usize = 4096;

/// How deeply groups may nest; deeper is unsupported.
const MAX_DEPTH: usize = 32;

/// The largest repetition count accepted in `{n,m}`.
const MAX_COUNT: u32 = MAX_INSTS as u32;

/// The last Unicode scalar value.
const MAX_CHAR: u32 = 0x10_FFFF;

/// One instruction of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inst {
    /// Consume one character in one of these sorted, disjoint ranges.
    Class(Vec<(char, char)>),
    /// Continue at both targets.
    Split(usize, usize),
    /// Continue at the target.
    Jump(usize),
    /// Continue only at the start of the value.
    Start,
    /// Continue only at the end of the value.
    End,
    /// The pattern matched.
    Match,
}

/// A compiled pattern: instructions run from index 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The instructions; every jump target is within the program.
    pub insts: Vec<Inst>,
    /// Whether the program begins with [`Inst::Start`], so a search need
    /// only try the start of the value.
    pub anchored: bool,
    /// The same pattern as runs matched greedily, left to right, when that
    /// gives the same answer (see [`runs_of`]): no backtracking at all.
    pub runs: Option<Vec<Run>>,
}

/// One class repeated `min..=max` times (`max: None`: unbounded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The characters, as in [`Inst::Class`].
    pub class: Vec<(char, char)>,
    /// At least this many.
    pub min: u32,
    /// At most this many, if bounded.
    pub max: Option<u32>,
}

/// Why a pattern is outside the supported subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Compiles a pattern, or says why it is outside the supported subset.
pub fn compile(pattern: &str) -> Result<Program, Unsupported> {
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let node = parser.disjunction()?;
    if parser.pos != parser.chars.len() {
        return Err(parser.unsupported("unbalanced `)`"));
    }
    let mut compiler = Compiler { insts: Vec::new() };
    compiler.node(&node)?;
    compiler.push(Inst::Match)?;
    let anchored = compiler.insts.first() == Some(&Inst::Start);
    Ok(Program {
        insts: compiler.insts,
        anchored,
        runs: runs_of(&node),
    })
}

/// `^`, then classes each repeated `{min,max}` (a literal is a class, once),
/// then `$` — the shape of most field patterns (`^\+[0-9]{7,15}$`) — as
/// runs, when matching each run greedily in turn gives the search's answer.
///
/// That holds when no run that may vary in length shares a character with
/// a later run it could hand one to: the runs after it up to and including
/// the first that must match at least once. (If a match gave a run fewer
/// characters than greedy takes, the next character — one of the run's own
/// — would have to be the first of some later run in that reach, whose
/// class excludes it.) Anything else keeps only the instructions.
fn runs_of(node: &Node) -> Option<Vec<Run>> {
    fn flatten<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
        match node {
            Node::Concat(nodes) => nodes.iter().for_each(|n| flatten(n, out)),
            Node::Empty => {}
            other => out.push(other),
        }
    }
    let mut items = Vec::new();
    flatten(node, &mut items);
    let [Node::Start, middle @ .., Node::End] = items.as_slice() else {
        return None;
    };
    let runs = middle
        .iter()
        .map(|item| match item {
            Node::Class(ranges) => Some((ranges, 1, Some(1))),
            Node::Repeat { node, min, max } => match node.as_ref() {
                Node::Class(ranges) => Some((ranges, *min, *max)),
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    for (i, (ranges, min, max)) in runs.iter().enumerate() {
        if *max == Some(*min) {
            continue;
        }
        for (later, later_min, _) in &runs[i + 1..] {
            if overlap(ranges, later) {
                return None;
            }
            if *later_min > 0 {
                break;
            }
        }
    }
    Some(
        runs.into_iter()
            .map(|(ranges, min, max)| Run {
                class: chars(ranges),
                min,
                max,
            })
            .collect(),
    )
}

/// Whether two normalized range lists share a code point.
fn overlap(a: &[(u32, u32)], b: &[(u32, u32)]) -> bool {
    a.iter()
        .any(|&(lo, hi)| b.iter().any(|&(l, h)| lo <= h && l <= hi))
}

impl Program {
    /// The program as a Rust expression of type `crate::pattern::Program`
    /// (const data: no allocation, no lazy initialisation).
    pub fn to_rust(&self) -> String {
        let mut out = String::from("crate::pattern::Program { anchored: ");
        out.push_str(if self.anchored { "true" } else { "false" });
        out.push_str(", insts: &[");
        for inst in &self.insts {
            out.push_str("crate::pattern::Inst::");
            match inst {
                Inst::Class(ranges) => {
                    out.push_str("Class(&[");
                    for (lo, hi) in ranges {
                        out.push_str(&format!("({lo:?}, {hi:?}), "));
                    }
                    out.push_str("])");
                }
                Inst::Split(a, b) => out.push_str(&format!("Split({a}, {b})")),
                Inst::Jump(t) => out.push_str(&format!("Jump({t})")),
                Inst::Start => out.push_str("Start"),
                Inst::End => out.push_str("End"),
                Inst::Match => out.push_str("Match"),
            }
            out.push_str(", ");
        }
        out.push_str("], runs: ");
        match &self.runs {
            None => out.push_str("None"),
            Some(runs) => {
                out.push_str("Some(&[");
                for run in runs {
                    out.push_str("crate::pattern::Run { class: &[");
                    for (lo, hi) in &run.class {
                        out.push_str(&format!("({lo:?}, {hi:?}), "));
                    }
                    // `crate::pattern::UNBOUNDED` when there is no upper bound.
                    let max = run.max.unwrap_or(u32::MAX);
                    out.push_str(&format!("], min: {}, max: {max} }}, ", run.min));
                }
                out.push_str("])");
            }
        }
        out.push_str(" }");
        out
    }
}

/// The parsed pattern. Classes are sorted, merged ranges of code points.
#[derive(Debug, Clone)]
enum Node {
    Empty,
    Class(Vec<(u32, u32)>),
    Start,
    End,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn unsupported(&self, what: &str) -> Unsupported {
        self.unsupported_at(self.pos, what)
    }

    fn unsupported_at(&self, pos: usize, what: &str) -> Unsupported {
        Unsupported(format!("{what} (at character {})", pos + 1))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Alternatives separated by `|`, up to `)` or the end.
    fn disjunction(&mut self) -> Result<Node, Unsupported> {
        let mut alternatives = vec![self.alternative()?];
        while self.eat('|') {
            alternatives.push(self.alternative()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alternatives)
        })
    }

    fn alternative(&mut self) -> Result<Node, Unsupported> {
        let mut terms = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            terms.push(self.term()?);
        }
        Ok(match terms.len() {
            0 => Node::Empty,
            1 => terms.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(terms),
        })
    }

    fn term(&mut self) -> Result<Node, Unsupported> {
        let assertion = match self.peek() {
            Some('^') => Some(Node::Start),
            Some('$') => Some(Node::End),
            _ => None,
        };
        if let Some(node) = assertion {
            self.pos += 1;
            if self.at_quantifier() {
                return Err(self.unsupported("a quantified assertion"));
            }
            return Ok(node);
        }
        let atom = self.atom()?;
        self.quantifier(atom)
    }

    fn at_quantifier(&self) -> bool {
        matches!(self.peek(), Some('*' | '+' | '?' | '{'))
    }

    fn atom(&mut self) -> Result<Node, Unsupported> {
        let Some(c) = self.peek() else {
            return Err(self.unsupported("unexpected end"));
        };
        match c {
            '(' => {
                let start = self.pos;
                self.pos += 1;
                if self.eat('?') && !self.eat(':') {
                    return Err(self.unsupported_at(start, "lookaround or a named group"));
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.unsupported("groups nested too deeply"));
                }
                let inner = self.disjunction()?;
                self.depth -= 1;
                if !self.eat(')') {
                    return Err(self.unsupported("unbalanced `(`"));
                }
                Ok(inner)
            }
            '[' => {
                self.pos += 1;
                self.class()
            }
            '.' => {
                self.pos += 1;
                Ok(Node::Class(negate(&normalize(vec![
                    (0x0A, 0x0A),
                    (0x0D, 0x0D),
                    (0x2028, 0x2029),
                ]))))
            }
            '\\' => {
                self.pos += 1;
                match self.escape(false)? {
                    Escape::Char(c) => Ok(Node::Class(vec![(c, c)])),
                    Escape::Set(set) => Ok(Node::Class(set)),
                }
            }
            '*' | '+' | '?' => Err(self.unsupported("nothing to repeat")),
            '{' | '}' | ']' => Err(self.unsupported(&format!("a lone `{c}`"))),
            _ => {
                let code = c as u32;
                if code > 0xFFFF {
                    return Err(self.unsupported("a character beyond U+FFFF"));
                }
                self.pos += 1;
                Ok(Node::Class(vec![(code, code)]))
            }
        }
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, Unsupported> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.pos += 1;
                let min = self
                    .number()?
                    .ok_or_else(|| self.unsupported("`{` without a count"))?;
                let max = if self.eat(',') {
                    self.number()?
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    return Err(self.unsupported("a malformed `{n,m}`"));
                }
                if max.is_some_and(|max| max < min) {
                    return Err(self.unsupported("`{n,m}` with m < n"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        self.eat('?'); // lazy: the same yes/no answer
        if self.at_quantifier() {
            return Err(self.unsupported("nothing to repeat"));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    /// Decimal digits, if any; too large a count is unsupported.
    fn number(&mut self) -> Result<Option<u32>, Unsupported> {
        let mut value: Option<u32> = None;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            let next = value.unwrap_or(0) * 10 + d;
            if next > MAX_COUNT {
                return Err(self.unsupported("a repetition count too large"));
            }
            value = Some(next);
            self.pos += 1;
        }
        Ok(value)
    }

    /// After a `\`: a character or a set. `in_class`: inside `[…]`.
    fn escape(&mut self, in_class: bool) -> Result<Escape, Unsupported> {
        let start = self.pos - 1; // the `\`
        let Some(c) = self.peek() else {
            return Err(self.unsupported_at(start, "a trailing `\\`"));
        };
        self.pos += 1;
        let set = |ranges: &[(u32, u32)], negated: bool| {
            let set = normalize(ranges.to_vec());
            Ok(Escape::Set(if negated { negate(&set) } else { set }))
        };
        match c {
            'd' | 'D' => set(DIGIT, c == 'D'),
            'w' | 'W' => set(WORD, c == 'W'),
            's' | 'S' => set(SPACE, c == 'S'),
            't' => Ok(Escape::Char(0x09)),
            'n' => Ok(Escape::Char(0x0A)),
            'v' => Ok(Escape::Char(0x0B)),
            'f' => Ok(Escape::Char(0x0C)),
            'r' => Ok(Escape::Char(0x0D)),
            'x' => self.hex(start, 2),
            'u' => self.hex(start, 4),
            '!'..='/' | ':'..='@' | '['..='`' | '{'..='~' => Ok(Escape::Char(c as u32)),
            'b' if in_class => Err(self.unsupported_at(start, "`\\b` in a class")),
            'b' | 'B' => Err(self.unsupported_at(start, "a word boundary")),
            '0'..='9' => Err(self.unsupported_at(start, "a backreference or octal escape")),
            _ => Err(self.unsupported_at(start, &format!("the escape `\\{c}`"))),
        }
    }

    /// Exactly `digits` hex digits after `\x` / `\u` (at `start`); not a surrogate.
    fn hex(&mut self, start: usize, digits: usize) -> Result<Escape, Unsupported> {
        let mut value = 0;
        for _ in 0..digits {
            let Some(d) = self.peek().and_then(|c| c.to_digit(16)) else {
                return Err(self.unsupported_at(start, "a malformed `\\x` or `\\u` escape"));
            };
            value = value * 16 + d;
            self.pos += 1;
        }
        if (0xD800..=0xDFFF).contains(&value) {
            return Err(self.unsupported_at(start, "a surrogate code unit"));
        }
        Ok(Escape::Char(value))
    }

    /// After `[`, up to and including `]`.
    fn class(&mut self) -> Result<Node, Unsupported> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.unsupported("an unterminated class"));
            };
            if c == ']' {
                self.pos += 1;
                break;
            }
            let first = self.class_atom()?;
            let ranged = self.peek() == Some('-') && !matches!(self.peek_at(1), Some(']') | None);
            if !ranged {
                match first {
                    Escape::Char(c) => ranges.push((c, c)),
                    Escape::Set(set) => ranges.extend(set),
                }
                continue;
            }
            self.pos += 1; // the `-`
            let last = self.class_atom()?;
            let (Escape::Char(lo), Escape::Char(hi)) = (first, last) else {
                return Err(self.unsupported("a class escape as a range end"));
            };
            if lo > hi {
                return Err(self.unsupported("a range out of order"));
            }
            ranges.push((lo, hi));
        }
        let set = normalize(ranges);
        Ok(Node::Class(if negated { negate(&set) } else { set }))
    }

    fn class_atom(&mut self) -> Result<Escape, Unsupported> {
        let Some(c) = self.peek() else {
            return Err(self.unsupported("an unterminated class"));
        };
        if c == '\\' {
            self.pos += 1;
            return self.escape(true);
        }
        if c as u32 > 0xFFFF {
            return Err(self.unsupported("a character beyond U+FFFF"));
        }
        self.pos += 1;
        Ok(Escape::Char(c as u32))
    }
}

/// What an escape stands for.
enum Escape {
    Char(u32),
    Set(Vec<(u32, u32)>),
}

const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];
/// ECMAScript WhiteSpace (TAB, VT, FF, ZWNBSP, Zs) and LineTerminator.
const SPACE: &[(u32, u32)] = &[
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
];

/// Sorts and merges overlapping or adjacent ranges.
fn normalize(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// Everything up to U+10FFFF not in the (normalized) ranges.
fn negate(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut next = 0;
    for &(lo, hi) in ranges {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi + 1;
    }
    if next <= MAX_CHAR {
        out.push((next, MAX_CHAR));
    }
    out
}

/// Code-point ranges as `char` ranges: surrogates are not characters.
fn chars(ranges: &[(u32, u32)]) -> Vec<(char, char)> {
    let mut out = Vec::new();
    for &(lo, hi) in ranges {
        for (lo, hi) in [(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)] {
            if let (true, Some(lo), Some(hi)) = (lo <= hi, char::from_u32(lo), char::from_u32(hi)) {
                out.push((lo, hi));
            }
        }
    }
    out
}

struct Compiler {
    insts: Vec<Inst>,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> Result<usize, Unsupported> {
        if self.insts.len() >= MAX_INSTS {
            return Err(Unsupported(format!(
                "the compiled pattern would exceed {MAX_INSTS} instructions"
            )));
        }
        self.insts.push(inst);
        Ok(self.insts.len() - 1)
    }

    /// Points the `Split` / `Jump` at `at` to `target` (its second target
    /// for a `Split`).
    fn patch(&mut self, at: usize, target: usize) {
        match &mut self.insts[at] {
            Inst::Split(_, b) => *b = target,
            Inst::Jump(t) => *t = target,
            _ => unreachable!("only splits and jumps are patched"),
        }
    }

    fn node(&mut self, node: &Node) -> Result<(), Unsupported> {
        match node {
            Node::Empty => {}
            Node::Class(ranges) => {
                self.push(Inst::Class(chars(ranges)))?;
            }
            Node::Start => {
                self.push(Inst::Start)?;
            }
            Node::End => {
                self.push(Inst::End)?;
            }
            Node::Concat(nodes) => {
                for node in nodes {
                    self.node(node)?;
                }
            }
            Node::Alt(nodes) => {
                let mut jumps = Vec::new();
                for (i, node) in nodes.iter().enumerate() {
                    if i + 1 < nodes.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.insts[split] = Inst::Split(split + 1, 0);
                        self.node(node)?;
                        jumps.push(self.push(Inst::Jump(0))?);
                        let next = self.insts.len();
                        self.patch(split, next);
                    } else {
                        self.node(node)?;
                    }
                }
                let end = self.insts.len();
                for jump in jumps {
                    self.patch(jump, end);
                }
            }
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max)?,
        }
        Ok(())
    }

    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>) -> Result<(), Unsupported> {
        match max {
            None if min > 0 => {
                // min - 1 copies, then one more in a loop: x+ = L: x; split L.
                for _ in 1..min {
                    self.node(node)?;
                }
                let start = self.insts.len();
                self.node(node)?;
                let split = self.push(Inst::Split(start, 0))?;
                self.patch(split, split + 1);
            }
            None => {
                // x* = L: split body, out; body: x; jump L; out:
                let split = self.push(Inst::Split(0, 0))?;
                self.insts[split] = Inst::Split(split + 1, 0);
                self.node(node)?;
                self.push(Inst::Jump(split))?;
                let out = self.insts.len();
                self.patch(split, out);
            }
            Some(max) => {
                for _ in 0..min {
                    self.node(node)?;
                }
                // The optional copies nest: each is tried only after the
                // previous one matched, so failing costs no more than one.
                let mut splits = Vec::new();
                for _ in min..max {
                    let split = self.push(Inst::Split(0, 0))?;
                    self.insts[split] = Inst::Split(split + 1, 0);
                    splits.push(split);
                    self.node(node)?;
                }
                let out = self.insts.len();
                for split in splits {
                    self.patch(split, out);
                }
            }
        }
        Ok(())
    }
}
