//! Rule patterns without needless case folding.
//!
//! Every rule pattern runs under `(?i)`, and regex-syntax folds the case
//! of each character class it translates in that mode, again for every
//! occurrence: a Unicode `[\w-]` folds some 700 ranges each time, which was
//! most of the time spent parsing the rule files. A class that folding
//! leaves unchanged (`\w`, `\s`, `[^.;]`, `[\w'’-]`) is wrapped in
//! `(?-i:...)`, which gives the same HIR without the work. Whether a class
//! is closed under folding is decided by translating it both ways, once per
//! distinct class text (and per bracket item) in the process.
use std::collections::HashMap;
use std::sync::Mutex;

use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem, Flag, FlagsItemKind};

/// (Unicode mode, class text) -> whether case folding leaves it unchanged.
static FOLD_CLOSED: Mutex<Option<HashMap<(bool, String), bool>>> = Mutex::new(None);

/// `source` with its fold-closed classes in case-sensitive groups, or
/// `None` when nothing changes (or the pattern does not parse: the caller
/// reports the error on the original).
pub fn without_needless_folding(source: &str) -> Option<String> {
    let mut ast = ast::parse::Parser::new().parse(source).ok()?;
    if uses_flag(&ast, Flag::IgnoreWhitespace) {
        return None; // class texts read differently in that mode
    }
    let mut rewrite = Rewrite {
        source,
        unicode: true,
        insensitive: false,
        changed: false,
    };
    rewrite.walk(&mut ast);
    if !rewrite.changed {
        return None;
    }
    let mut out = String::with_capacity(source.len() + 32);
    ast::print::Printer::new().print(&ast, &mut out).ok()?;
    Some(out)
}

fn uses_flag(ast: &Ast, flag: Flag) -> bool {
    let in_flags = |f: &ast::Flags| f.items.iter().any(|i| i.kind == FlagsItemKind::Flag(flag));
    match ast {
        Ast::Flags(set) => in_flags(&set.flags),
        Ast::Group(g) => g.flags().is_some_and(in_flags) || uses_flag(&g.ast, flag),
        Ast::Repetition(r) => uses_flag(&r.ast, flag),
        Ast::Concat(c) => c.asts.iter().any(|a| uses_flag(a, flag)),
        Ast::Alternation(a) => a.asts.iter().any(|a| uses_flag(a, flag)),
        _ => false,
    }
}

/// Walks the AST in translation order, tracking the `u` and `i` flags as
/// the translator does (a flag group lasts to the end of its group).
struct Rewrite<'s> {
    source: &'s str,
    unicode: bool,
    insensitive: bool,
    changed: bool,
}

impl Rewrite<'_> {
    fn apply(&mut self, flags: &ast::Flags) {
        let mut on = true;
        for item in &flags.items {
            match item.kind {
                FlagsItemKind::Negation => on = false,
                FlagsItemKind::Flag(Flag::Unicode) => self.unicode = on,
                FlagsItemKind::Flag(Flag::CaseInsensitive) => self.insensitive = on,
                FlagsItemKind::Flag(_) => {}
            }
        }
    }

    fn walk(&mut self, ast: &mut Ast) {
        match ast {
            Ast::Flags(set) => self.apply(&set.flags),
            Ast::Group(group) => {
                let saved = (self.unicode, self.insensitive);
                if let Some(flags) = group.flags() {
                    self.apply(flags);
                }
                self.walk(&mut group.ast);
                (self.unicode, self.insensitive) = saved;
            }
            Ast::Repetition(rep) => self.walk(&mut rep.ast),
            Ast::Concat(concat) => concat.asts.iter_mut().for_each(|a| self.walk(a)),
            Ast::Alternation(alt) => alt.asts.iter_mut().for_each(|a| self.walk(a)),
            Ast::ClassBracketed(_) | Ast::ClassPerl(_) | Ast::ClassUnicode(_)
                if self.insensitive && self.fold_closed(ast) =>
            {
                let span = *ast.span();
                let class = std::mem::replace(ast, Ast::empty(span));
                let item = |kind| ast::FlagsItem { span, kind };
                let flags = ast::Flags {
                    span,
                    items: vec![
                        item(FlagsItemKind::Negation),
                        item(FlagsItemKind::Flag(Flag::CaseInsensitive)),
                    ],
                };
                *ast = Ast::group(ast::Group {
                    span,
                    kind: ast::GroupKind::NonCapturing(flags),
                    ast: Box::new(class),
                });
                self.changed = true;
            }
            _ => {}
        }
    }

    /// A bracketed union is closed when each of its items is (negation
    /// keeps it closed); anything else is checked whole.
    fn fold_closed(&self, class: &Ast) -> bool {
        if let Ast::ClassBracketed(bracketed) = class {
            if let ClassSet::Item(ClassSetItem::Union(union)) = &bracketed.kind {
                return union
                    .items
                    .iter()
                    .all(|item| self.text_closed(&format!("[{}]", self.text(item.span()))));
            }
            if let ClassSet::Item(item) = &bracketed.kind {
                return self.text_closed(&format!("[{}]", self.text(item.span())));
            }
        }
        self.text_closed(self.text(class.span()))
    }

    fn text(&self, span: &ast::Span) -> &str {
        &self.source[span.start.offset..span.end.offset]
    }

    fn text_closed(&self, class: &str) -> bool {
        let key = (self.unicode, class.to_string());
        let mut memo = FOLD_CLOSED.lock().unwrap_or_else(|e| e.into_inner());
        let memo = memo.get_or_insert_with(HashMap::new);
        if let Some(&closed) = memo.get(&key) {
            return closed;
        }
        let unicode = if self.unicode { "u" } else { "-u" };
        let folded = regex_syntax::Parser::new().parse(&format!("(?{unicode}i:{class})"));
        let plain = regex_syntax::Parser::new().parse(&format!("(?{unicode}-i:{class})"));
        let closed = matches!((folded, plain), (Ok(a), Ok(b)) if a == b);
        memo.insert(key, closed);
        closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hir(pattern: &str) -> regex_syntax::hir::Hir {
        regex_syntax::Parser::new().parse(pattern).unwrap()
    }

    fn same_hir(pattern: &str) -> Option<String> {
        let rewritten = without_needless_folding(pattern);
        if let Some(r) = &rewritten {
            assert_eq!(hir(r), hir(pattern), "{pattern} -> {r}");
        }
        rewritten
    }

    #[test]
    fn closed_classes_lose_their_folding_and_keep_their_meaning() {
        let r = same_hir(r"(?i)\bmet (?:[\w'’-]+ ){0,3}\s[^.;]{0,40}x").unwrap();
        assert!(
            r.contains(r"(?-i:[\w'’-])") && r.contains(r"(?-i:[^.;])"),
            "{r}"
        );
        assert!(r.contains(r"(?-i:\s)"), "{r}");
    }

    #[test]
    fn classes_that_folding_changes_are_left_alone() {
        // [a-z] gains A-Z and the Kelvin sign; \p{Lu} gains the lower case
        for pattern in [r"(?i)[a-z]+", r"(?i)\p{Lu}", r"(?i)[^k]", r"(?i)[\w&&k]"] {
            assert_eq!(same_hir(pattern), None, "{pattern}");
        }
        // case-sensitive already, or in a case-sensitive group
        assert_eq!(same_hir(r"\w+(?-i:\w)"), None);
        let r = same_hir(r"(?i)(?-i:\p{Lu})[\w-]").unwrap();
        assert!(r.starts_with(r"(?i)(?-i:\p{Lu})"), "{r}");
    }

    #[test]
    fn flags_and_bytes_mode_are_followed() {
        same_hir(r"(?i)a(?-u:[\w-])b(?u)\w(?-i)\w");
        same_hir(r"(?i:x\w)\w(?i)[\d\s]|[^\w]");
        assert_eq!(same_hir(r"(?ix)[ \w]"), None);
        assert_eq!(same_hir(r"(?i)[unclosed"), None);
    }
}
