//! A CloudWatch Logs Insights evaluator for the subset of the query language the documented
//! queries use, so tests can run those queries, as written, over captured lines:
//!
//! - `fields a, b, @timestamp` (the columns shown; filters may still read any field);
//! - `filter` with `=`, `!=`, `in [...]`, `and`, `or`, `not` and parentheses, on strings,
//!   numbers and booleans (a missing field compares false, as in Logs Insights);
//! - `stats count(*) as n by a, b` (one row per group, in order of first appearance);
//! - `sort f asc|desc`, `limit n`.
//!
//! Fields are the top-level keys of each JSON line (Logs Insights discovers JSON fields so);
//! `@timestamp` reads `timestamp`, `@log` reads the `@log` the test gives each line. Anything
//! else is a parse error, so a documented query cannot drift beyond what is tested.
#![allow(dead_code)]

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// One parsed query.
#[derive(Debug, Clone)]
pub struct Query(Vec<Command>);

#[derive(Debug, Clone)]
enum Command {
    Fields(Vec<String>),
    Filter(Expr),
    Stats { alias: String, by: Vec<String> },
    Sort { field: String, descending: bool },
    Limit(usize),
}

#[derive(Debug, Clone)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Equal {
        field: String,
        value: Value,
        negated: bool,
    },
    In {
        field: String,
        values: Vec<Value>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    Symbol(&'static str),
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '"' | '\'' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') => s.push(chars.next().ok_or("dangling escape")?),
                        Some(other) => s.push(other),
                        None => return Err("unterminated string".into()),
                    }
                }
                out.push(Token::Text(s));
            }
            '!' => {
                chars.next();
                if chars.next() != Some('=') {
                    return Err("`!` without `=`".into());
                }
                out.push(Token::Symbol("!="));
            }
            '|' | ',' | '(' | ')' | '[' | ']' | '=' | '*' => {
                chars.next();
                let symbol = ["|", ",", "(", ")", "[", "]", "=", "*"]
                    .into_iter()
                    .find(|s| s.starts_with(c))
                    .ok_or("symbol")?;
                out.push(Token::Symbol(symbol));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut s = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_ascii_digit() || d == '.' || d == '-' {
                        s.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Number(
                    s.parse().map_err(|_| format!("number `{s}`"))?,
                ));
            }
            c if c.is_alphanumeric() || c == '_' || c == '@' => {
                let mut s = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '@' || d == '.' {
                        s.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(s));
            }
            other => return Err(format!("unexpected `{other}`")),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Result<Token, String> {
        let t = self.peek().cloned().ok_or("unexpected end of query")?;
        self.at += 1;
        Ok(t)
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn symbol(&mut self, symbol: &str) -> bool {
        if matches!(self.peek(), Some(Token::Symbol(s)) if *s == symbol) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<(), String> {
        if self.symbol(symbol) {
            Ok(())
        } else {
            Err(format!("expected `{symbol}`, found {:?}", self.peek()))
        }
    }

    fn field(&mut self) -> Result<String, String> {
        match self.next()? {
            Token::Word(w) if !is_keyword(&w) => Ok(w),
            other => Err(format!("expected a field, found {other:?}")),
        }
    }

    fn fields(&mut self) -> Result<Vec<String>, String> {
        let mut fields = vec![self.field()?];
        while self.symbol(",") {
            fields.push(self.field()?);
        }
        Ok(fields)
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.next()? {
            Token::Text(s) => Ok(Value::String(s)),
            Token::Number(n) => {
                Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
            }
            Token::Word(w) if w == "true" || w == "false" => Ok(Value::Bool(w == "true")),
            other => Err(format!("expected a value, found {other:?}")),
        }
    }

    fn command(&mut self) -> Result<Command, String> {
        let Token::Word(name) = self.next()? else {
            return Err("expected a command".into());
        };
        match name.to_ascii_lowercase().as_str() {
            "fields" => Ok(Command::Fields(self.fields()?)),
            "filter" => Ok(Command::Filter(self.or()?)),
            "stats" => {
                if !(self.keyword("count")
                    && self.symbol("(")
                    && self.symbol("*")
                    && self.symbol(")")
                    && self.keyword("as"))
                {
                    return Err("stats supports `count(*) as name by ...` only".into());
                }
                let alias = self.field()?;
                let by = if self.keyword("by") {
                    self.fields()?
                } else {
                    Vec::new()
                };
                Ok(Command::Stats { alias, by })
            }
            "sort" => {
                let field = self.field()?;
                let descending = if self.keyword("desc") {
                    true
                } else {
                    self.keyword("asc");
                    false
                };
                Ok(Command::Sort { field, descending })
            }
            "limit" => match self.next()? {
                Token::Number(n) if n >= 1.0 && n.fract() == 0.0 => Ok(Command::Limit(n as usize)),
                other => Err(format!("limit {other:?}")),
            },
            other => Err(format!("command `{other}` is not supported")),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.symbol("(") {
            let inner = self.or()?;
            self.expect_symbol(")")?;
            return Ok(inner);
        }
        let field = self.field()?;
        if self.keyword("in") {
            self.expect_symbol("[")?;
            let mut values = vec![self.value()?];
            while self.symbol(",") {
                values.push(self.value()?);
            }
            self.expect_symbol("]")?;
            return Ok(Expr::In { field, values });
        }
        let negated = if self.symbol("!=") {
            true
        } else {
            self.expect_symbol("=")?;
            false
        };
        let value = self.value()?;
        Ok(Expr::Equal {
            field,
            value,
            negated,
        })
    }
}

fn is_keyword(word: &str) -> bool {
    ["and", "or", "not", "in", "as", "by", "asc", "desc"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}

/// Parses a query; commands are separated by `|`.
pub fn parse(text: &str) -> Result<Query, String> {
    let tokens = tokens(text)?;
    let mut commands = Vec::new();
    for part in tokens.split(|t| *t == Token::Symbol("|")) {
        let mut parser = Parser {
            tokens: part.to_vec(),
            at: 0,
        };
        commands.push(parser.command()?);
        if let Some(rest) = parser.peek() {
            return Err(format!("unexpected {rest:?} after a command"));
        }
    }
    Ok(Query(commands))
}

fn lookup<'a>(row: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    match field {
        "@timestamp" => row.get("timestamp"),
        other => row.get(other),
    }
}

/// Logs Insights compares a number with a boolean field as 1/0.
fn same(row_value: &Value, query_value: &Value) -> bool {
    match (row_value, query_value) {
        (Value::Bool(b), Value::Number(n)) => n.as_f64() == Some(f64::from(u8::from(*b))),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn matches(expr: &Expr, row: &Map<String, Value>) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, row) && matches(b, row),
        Expr::Or(a, b) => matches(a, row) || matches(b, row),
        Expr::Not(a) => !matches(a, row),
        Expr::Equal {
            field,
            value,
            negated,
        } => lookup(row, field).is_some_and(|v| same(v, value) != *negated),
        Expr::In { field, values } => {
            lookup(row, field).is_some_and(|v| values.iter().any(|q| same(v, q)))
        }
    }
}

fn order(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// Runs `query` over `rows` (one JSON object per log line); the result rows.
pub fn run(query: &Query, rows: &[Map<String, Value>]) -> Vec<Map<String, Value>> {
    let mut rows: Vec<Map<String, Value>> = rows.to_vec();
    let mut shown: Option<Vec<String>> = None;
    for command in &query.0 {
        match command {
            Command::Fields(fields) => shown = Some(fields.clone()),
            Command::Filter(expr) => rows.retain(|r| matches(expr, r)),
            Command::Stats { alias, by } => {
                rows = stats(&rows, alias, by);
                shown = None;
            }
            Command::Sort { field, descending } => rows.sort_by(|a, b| {
                let o = order(lookup(a, field), lookup(b, field));
                if *descending { o.reverse() } else { o }
            }),
            Command::Limit(n) => rows.truncate(*n),
        }
    }
    match shown {
        None => rows,
        Some(fields) => rows
            .iter()
            .map(|r| {
                fields
                    .iter()
                    .filter_map(|f| lookup(r, f).map(|v| (f.clone(), v.clone())))
                    .collect()
            })
            .collect(),
    }
}

fn stats(rows: &[Map<String, Value>], alias: &str, by: &[String]) -> Vec<Map<String, Value>> {
    let mut groups: Vec<(Vec<Value>, u64)> = Vec::new();
    for row in rows {
        let key: Vec<Value> = by
            .iter()
            .map(|f| lookup(row, f).cloned().unwrap_or(Value::Null))
            .collect();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => groups.push((key, 1)),
        }
    }
    groups
        .into_iter()
        .map(|(key, n)| {
            let mut out: Map<String, Value> = by.iter().cloned().zip(key).collect();
            out.insert(alias.to_owned(), Value::from(n));
            out
        })
        .collect()
}

/// The fenced `logsinsights` blocks of `docs/operations.md`'s `## Logs Insights queries` section,
/// in order.
pub fn documented_queries() -> Vec<String> {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/operations.md"
    ))
    .unwrap_or_default();
    let section = page
        .split("\n## ")
        .find(|s| s.starts_with("Logs Insights queries"))
        .unwrap_or_default();
    let mut queries = Vec::new();
    let mut current: Option<String> = None;
    for line in section.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```logsinsights") => current = Some(String::new()),
            (Some(q), "```") => {
                queries.push(q.clone());
                current = None;
            }
            (Some(q), text) => {
                q.push_str(text);
                q.push('\n');
            }
            (None, _) => {}
        }
    }
    queries
}
