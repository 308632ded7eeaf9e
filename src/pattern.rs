//! Runs the JSON Schema `pattern`s that `codegen/pattern.rs` compiled into
//! the generated newtypes (instead of a regex crate at run time).
//!
//! Three engines, all linear in the input and panic-free on any `&str`:
//!
//! * a program with [`Program::runs`] (`^`, repeated classes, `$`, where
//!   the generator proved greedy matching exact — e.g. a phone number):
//!   one greedy pass, no memory;
//! * otherwise, values up to instructions × (bytes + 1) ≤ [`LARGE_BITS`]: a
//!   backtracker that never explores an (instruction, position) pair twice.
//!   Up to [`SMALL_BITS`] pairs its visited set and
//!   job stack are on the call stack: no allocation unless the job stack
//!   spills. Beyond, the visited set (at most 32 KiB) is on the heap;
//! * anything longer: a Pike VM, which advances the set of live instructions
//!   one character at a time, in memory proportional to the program (on the
//!   stack up to [`SMALL_INSTS`] instructions), never to the input.
//!
//! The search is unanchored (JSON Schema): a match may start anywhere,
//! unless the program begins with [`Inst::Start`]. Characters are Unicode
//! scalar values.

/// A compiled pattern, emitted by the generator as const data.
#[derive(Debug)]
pub(crate) struct Program {
    /// Whether the program begins with [`Inst::Start`] (only position 0 can match).
    pub(crate) anchored: bool,
    /// The instructions, run from index 0.
    pub(crate) insts: &'static [Inst],
    /// The pattern as runs that greedy matching answers exactly, when the
    /// generator proved it can (`^`, repeated classes, `$`).
    pub(crate) runs: Option<&'static [Run]>,
}

/// [`Run::max`] of a run without an upper bound (`*`, `+`, `{n,}`); bounded
/// counts never come near it (the generator caps them at 4096).
pub(crate) const UNBOUNDED: u32 = u32::MAX;

/// One class repeated `min..=max` times ([`UNBOUNDED`]: no limit).
#[derive(Debug)]
pub(crate) struct Run {
    /// Sorted, disjoint ranges.
    pub(crate) class: &'static [(char, char)],
    /// At least this many characters.
    pub(crate) min: u32,
    /// At most this many.
    pub(crate) max: u32,
}

/// One instruction.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Inst {
    /// Consume one character in one of these sorted, disjoint ranges.
    Class(&'static [(char, char)]),
    /// Continue at both targets (the first is tried first).
    Split(u16, u16),
    /// Continue at the target.
    Jump(u16),
    /// Continue only at the start of the value.
    Start,
    /// Continue only at the end of the value.
    End,
    /// The pattern matched.
    Match,
}

/// Up to this many (instruction, position) pairs, the backtracker runs with
/// its visited set on the call stack.
const SMALL_BITS: usize = 2048;
/// Up to this many, it runs with its visited set on the heap (32 KiB);
/// beyond, the Pike VM runs.
const LARGE_BITS: usize = 1 << 18;
/// Backtracking jobs kept on the call stack before spilling to the heap.
const INLINE_JOBS: usize = 16;
/// Programs up to this many instructions run the Pike VM without the heap.
const SMALL_INSTS: usize = 128;

/// Whether `program` matches anywhere in `text`.
pub(crate) fn is_match(program: &Program, text: &str) -> bool {
    if let Some(runs) = program.runs {
        return greedy(runs, text);
    }
    let cells = program.insts.len().saturating_mul(text.len() + 1);
    if cells <= SMALL_BITS {
        let mut visited = [0u64; SMALL_BITS / 64];
        backtrack(program, text, &mut visited[..cells.div_ceil(64)])
    } else if cells <= LARGE_BITS {
        backtrack(program, text, &mut vec![0u64; cells.div_ceil(64)])
    } else {
        pike(program, text)
    }
}

/// The backtracker on any input (tests compare both engines everywhere).
#[cfg(test)]
pub(crate) fn is_match_backtracking(program: &Program, text: &str) -> bool {
    let cells = program.insts.len().saturating_mul(text.len() + 1);
    backtrack(program, text, &mut vec![0u64; cells.div_ceil(64)])
}

/// The Pike VM on any input (tests compare both engines everywhere).
#[cfg(test)]
pub(crate) fn is_match_pike(program: &Program, text: &str) -> bool {
    pike(program, text)
}

// ---- runs ---------------------------------------------------------------------

/// Each run takes as many characters as it may, in turn; the value must end
/// where the last run does. Exact for the programs the generator gives
/// runs to (see `runs_of` in `codegen/pattern.rs`).
fn greedy(runs: &[Run], text: &str) -> bool {
    let mut pos = 0;
    for run in runs {
        let mut taken = 0u32;
        while run.max == UNBOUNDED || taken < run.max {
            match char_at(text, pos) {
                Some(c) if contains(run.class, c) => {
                    pos += c.len_utf8();
                    // Saturates: an unbounded run may pass 2^32 characters.
                    taken = taken.saturating_add(1);
                }
                _ => break,
            }
        }
        if taken < run.min {
            return false;
        }
    }
    pos == text.len()
}

// ---- backtracking -----------------------------------------------------------

/// A LIFO of (instruction, position) jobs: inline first, then the heap.
struct Jobs {
    inline: [(u32, u32); INLINE_JOBS],
    len: usize,
    spill: Vec<(u32, u32)>,
}

impl Jobs {
    fn push(&mut self, job: (u32, u32)) {
        if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = job;
            self.len += 1;
        } else {
            self.spill.push(job);
        }
    }

    fn pop(&mut self) -> Option<(u32, u32)> {
        if let Some(job) = self.spill.pop() {
            return Some(job);
        }
        self.len = self.len.checked_sub(1)?;
        self.inline.get(self.len).copied()
    }
}

/// `visited` has a bit for every (instruction, byte position ≤ len) pair;
/// each pair is explored at most once, so the work is O(instructions ×
/// bytes) whatever the pattern.
fn backtrack(program: &Program, text: &str, visited: &mut [u64]) -> bool {
    let insts = program.insts;
    let len = text.len();
    let width = len + 1;
    let mut jobs = Jobs {
        inline: [(0, 0); INLINE_JOBS],
        len: 0,
        spill: Vec::new(),
    };
    let mut start = 0;
    loop {
        jobs.push((0, start as u32));
        while let Some((pc, pos)) = jobs.pop() {
            let (mut pc, mut pos) = (pc as usize, pos as usize);
            loop {
                let cell = pc * width + pos;
                let bit = 1u64 << (cell % 64);
                match visited.get_mut(cell / 64) {
                    Some(word) if *word & bit == 0 => *word |= bit,
                    _ => break,
                }
                match insts.get(pc) {
                    None => break,
                    Some(Inst::Class(ranges)) => match char_at(text, pos) {
                        Some(c) if contains(ranges, c) => {
                            pc += 1;
                            pos += c.len_utf8();
                        }
                        _ => break,
                    },
                    Some(Inst::Split(a, b)) => {
                        jobs.push((u32::from(*b), pos as u32));
                        pc = usize::from(*a);
                    }
                    Some(Inst::Jump(t)) => pc = usize::from(*t),
                    Some(Inst::Start) if pos == 0 => pc += 1,
                    Some(Inst::End) if pos == len => pc += 1,
                    Some(Inst::Start | Inst::End) => break,
                    Some(Inst::Match) => return true,
                }
            }
        }
        if program.anchored {
            return false;
        }
        // The next start is the next character boundary.
        match char_at(text, start) {
            Some(c) => start += c.len_utf8(),
            None => return false,
        }
    }
}

/// The character starting at byte `pos`, if any (ASCII without decoding).
fn char_at(text: &str, pos: usize) -> Option<char> {
    match text.as_bytes().get(pos) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text.get(pos..).and_then(|rest| rest.chars().next()),
        None => None,
    }
}

// ---- Pike VM ------------------------------------------------------------------

fn pike(program: &Program, text: &str) -> bool {
    let n = program.insts.len();
    let words = n.div_ceil(64);
    if n <= SMALL_INSTS {
        let mut cur = [0u64; SMALL_INSTS / 64];
        let mut next = [0u64; SMALL_INSTS / 64];
        let mut stack = [0u32; SMALL_INSTS];
        pike_with(
            program,
            text,
            &mut cur[..words],
            &mut next[..words],
            &mut stack[..n],
        )
    } else {
        let (mut cur, mut next) = (vec![0u64; words], vec![0u64; words]);
        let mut stack = vec![0u32; n];
        pike_with(program, text, &mut cur, &mut next, &mut stack)
    }
}

/// `cur` and `next` are bit sets of instructions; `stack` has room for
/// every instruction.
fn pike_with<'a>(
    program: &Program,
    text: &str,
    mut cur: &'a mut [u64],
    mut next: &'a mut [u64],
    stack: &mut [u32],
) -> bool {
    let insts = program.insts;
    let len = text.len();
    if add(insts, cur, stack, 0, true, len == 0) {
        return true;
    }
    for (i, c) in text.char_indices() {
        let at_end = i + c.len_utf8() == len;
        next.fill(0);
        let mut alive = false;
        for (w, &word) in cur.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let pc = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(Inst::Class(ranges)) = insts.get(pc)
                    && contains(ranges, c)
                {
                    alive = true;
                    if add(insts, next, stack, pc + 1, false, at_end) {
                        return true;
                    }
                }
            }
        }
        if !program.anchored {
            if add(insts, next, stack, 0, false, at_end) {
                return true;
            }
        } else if !alive {
            return false;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    false
}

/// Adds `pc` and everything it reaches without consuming a character to
/// `set`; whether that reaches [`Inst::Match`].
fn add(
    insts: &[Inst],
    set: &mut [u64],
    stack: &mut [u32],
    pc: usize,
    at_start: bool,
    at_end: bool,
) -> bool {
    let mut top = 0;
    push(insts.len(), set, stack, &mut top, pc);
    while top > 0 {
        top -= 1;
        let pc = stack[top] as usize;
        let next = match insts.get(pc) {
            None | Some(Inst::Class(_)) => continue,
            Some(Inst::Match) => return true,
            Some(Inst::Jump(t)) => usize::from(*t),
            Some(Inst::Split(a, b)) => {
                push(insts.len(), set, stack, &mut top, usize::from(*b));
                usize::from(*a)
            }
            Some(Inst::Start) if at_start => pc + 1,
            Some(Inst::End) if at_end => pc + 1,
            Some(Inst::Start | Inst::End) => continue,
        };
        push(insts.len(), set, stack, &mut top, next);
    }
    false
}

/// Marks `pc` in `set` and pushes it, unless out of range or already marked
/// (so each instruction is pushed at most once: `stack` never overflows).
fn push(n: usize, set: &mut [u64], stack: &mut [u32], top: &mut usize, pc: usize) {
    if pc >= n {
        return;
    }
    let bit = 1u64 << (pc % 64);
    if let Some(word) = set.get_mut(pc / 64)
        && *word & bit == 0
        && let Some(slot) = stack.get_mut(*top)
    {
        *word |= bit;
        *slot = pc as u32;
        *top += 1;
    }
}

/// Whether `c` is in the sorted, disjoint `ranges`.
fn contains(ranges: &[(char, char)], c: char) -> bool {
    if ranges.len() <= 4 {
        return ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi);
    }
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(?:a|b)*c$`, assembled by hand (unanchored).
    static PROGRAM: Program = Program {
        anchored: false,
        runs: None,
        insts: &[
            Inst::Split(1, 6),
            Inst::Split(2, 4),
            Inst::Class(&[('a', 'a')]),
            Inst::Jump(5),
            Inst::Class(&[('b', 'b')]),
            Inst::Jump(0),
            Inst::Class(&[('c', 'c')]),
            Inst::End,
            Inst::Match,
        ],
    };

    #[test]
    fn both_engines_answer_alike() {
        let long = format!("{}c", "ab".repeat(5_000));
        for (text, expected) in [
            ("c", true),
            ("abbac", true),
            ("xxabc", true),
            ("abcx", false),
            ("", false),
            ("ab", false),
            ("é😀c", true),
            (long.as_str(), true),
        ] {
            assert_eq!(is_match(&PROGRAM, text), expected, "{text:?}");
            assert_eq!(is_match_pike(&PROGRAM, text), expected, "{text:?}");
            assert_eq!(is_match_backtracking(&PROGRAM, text), expected, "{text:?}");
        }
    }

    #[test]
    fn jobs_spill_in_order() {
        let mut jobs = Jobs {
            inline: [(0, 0); INLINE_JOBS],
            len: 0,
            spill: Vec::new(),
        };
        for i in 0..40 {
            jobs.push((i, i));
        }
        for i in (0..40).rev() {
            assert_eq!(jobs.pop(), Some((i, i)));
        }
        assert_eq!(jobs.pop(), None);
    }

    #[test]
    fn classes() {
        let ranges = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z'), ('é', 'é')];
        for (c, inside) in [
            ('0', true),
            ('_', true),
            ('é', true),
            ('`', false),
            ('😀', false),
        ] {
            assert_eq!(contains(ranges, c), inside, "{c:?}");
            assert_eq!(contains(&ranges[..3], c), inside && c <= '_', "{c:?}");
        }
    }
}
