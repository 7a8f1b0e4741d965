//! Lambda's JSON log shape, flat: one JSON object per line with `timestamp`, `level`, `message`
//! and `requestId` at the top level (what Lambda's advanced logging controls write for the
//! managed runtimes, and what they and CloudWatch Logs Insights read back), then the fields of
//! the enclosing spans, the fixed fields (`service`), and the event's own fields.
//!
//! ```json
//! {"timestamp":"2024-05-01T12:34:56.789Z","level":"INFO","message":"decision","requestId":"8f5e…","xray_trace_id":"Root=1-…","service":"echo-api-authorizer","outcome":"allowed",…}
//! ```
//!
//! lambda_runtime runs each invocation in a span `Lambda runtime invoke` with `requestId` and,
//! when Lambda sent one, `xrayTraceId` (written `xray_trace_id`, as Powertools names it); its
//! fields are lifted to the top level of every line logged inside it. Lines logged outside an
//! invocation (start-up) have no `requestId`, as in Lambda's own lines.
//!
//! A key appears once per line: the first writer wins, in the order above (an event field named
//! `level` or `service` is dropped). Strings are JSON-escaped, so a value cannot forge a line;
//! numbers and booleans stay JSON numbers and booleans; a non-finite float is `null`.
//! Written by hand rather than through tracing-subscriber's `json` feature: that one nests the
//! message under `fields` and the request id under `span`, and costs a serde tree per line.

use std::fmt::{Debug, Write as _};
use std::io::Write as _;
use std::time::SystemTime;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber, span};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use crate::timestamp::write_rfc3339_millis;

/// The layer writing Lambda's JSON lines to `W` (stdout in Lambda, a capture in tests).
#[derive(Debug)]
pub struct JsonLayer<W> {
    /// Members written on every line, after the span fields.
    fixed: Vec<(&'static str, String)>,
    writer: W,
}

impl<W> JsonLayer<W> {
    /// Lines carrying `"service": service` (when given), written to `writer`.
    pub fn new(service: Option<&str>, writer: W) -> Self {
        Self {
            fixed: service
                .map(|s| ("service", json_string(s)))
                .into_iter()
                .collect(),
            writer,
        }
    }
}

/// A span's fields, each as its top-level key and its value already in JSON.
#[derive(Debug)]
struct SpanFields(Vec<(&'static str, String)>);

impl<S, W> Layer<S> for JsonLayer<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if !fields.members.is_empty() {
            span.extensions_mut().insert(SpanFields(fields.members));
        }
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut fields = Fields::default();
        values.record(&mut fields);
        let mut extensions = span.extensions_mut();
        match extensions.get_mut::<SpanFields>() {
            Some(SpanFields(members)) => {
                for (key, value) in fields.members {
                    members.retain(|(k, _)| *k != key);
                    members.push((key, value));
                }
            }
            None => extensions.insert(SpanFields(fields.members)),
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = Line::start(event.metadata().level().as_str(), SystemTime::now());
        line.member(
            "message",
            &json_string(fields.message.as_deref().unwrap_or_default()),
        );
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(SpanFields(members)) = span.extensions().get::<SpanFields>() {
                    line.members(members);
                }
            }
        }
        line.members(&self.fixed);
        line.members(&fields.members);
        let mut writer = self.writer.make_writer_for(event.metadata());
        // One write per line, so concurrent invocations never interleave within a line. A
        // failed write to stdout has nowhere to be reported.
        let _ = writer.write_all(line.finish().as_bytes());
    }
}

/// One line being written: the text so far and the keys already in it.
struct Line {
    text: String,
    keys: Vec<&'static str>,
}

impl Line {
    fn start(level: &str, now: SystemTime) -> Self {
        let mut text = String::with_capacity(512);
        text.push_str(r#"{"timestamp":""#);
        write_rfc3339_millis(&mut text, now);
        let _ = write!(text, r#"","level":"{level}""#);
        Self {
            text,
            keys: vec!["timestamp", "level"],
        }
    }

    /// Adds `"key":value` (`value` already JSON) unless `key` is there already.
    fn member(&mut self, key: &'static str, value: &str) {
        if self.keys.contains(&key) {
            return;
        }
        self.keys.push(key);
        self.text.push(',');
        push_json_string(&mut self.text, key);
        self.text.push(':');
        self.text.push_str(value);
    }

    fn members(&mut self, members: &[(&'static str, String)]) {
        for (key, value) in members {
            self.member(key, value);
        }
    }

    fn finish(mut self) -> String {
        self.text.push_str("}\n");
        self.text
    }
}

/// The key a span field gets at the top level: lambda_runtime's `xrayTraceId` as Powertools
/// names it; every other name as it is.
fn top_level_key(name: &'static str) -> &'static str {
    match name {
        "xrayTraceId" => "xray_trace_id",
        other => other,
    }
}

/// Field values rendered as JSON, the `message` kept apart.
#[derive(Default)]
struct Fields {
    message: Option<String>,
    members: Vec<(&'static str, String)>,
}

impl Fields {
    fn push(&mut self, field: &Field, json: String) {
        self.members.push((top_level_key(field.name()), json));
    }

    fn push_text(&mut self, field: &Field, text: String) {
        if field.name() == "message" && self.message.is_none() {
            self.message = Some(text);
        } else {
            self.push(field, json_string(&text));
        }
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.push_text(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.push_text(field, format!("{value:?}"));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.push_text(field, value.to_string());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.push(field, value.to_string());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push(field, value.to_string());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.push(field, value.to_string());
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.push(field, value.to_string());
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.push(field, value.to_string());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        let json = if value.is_finite() {
            value.to_string()
        } else {
            "null".to_owned()
        };
        self.push(field, json);
    }
}

/// `s` as a JSON string, quotes included.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_string(&mut out, s);
    out
}

/// Appends `s` as a JSON string (RFC 8259: `"` and `\` escaped, control characters as escapes).
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn strings_are_escaped_as_json_says() {
        for s in [
            "plain",
            "quote \" and backslash \\",
            "new\nline\r\ttab",
            "\u{0}\u{1f}\u{7f}",
            "unicode é ✓ \u{2028}",
            "{\"forged\":\"line\"}\n{\"level\":\"ERROR\"}",
        ] {
            let json = json_string(s);
            assert!(!json.contains('\n') && !json.contains('\r'), "{json}");
            assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), s);
        }
    }

    #[test]
    fn a_key_is_written_once() {
        let mut line = Line::start("INFO", SystemTime::UNIX_EPOCH);
        line.member("message", "\"m\"");
        line.member("level", "\"ERROR\"");
        line.members(&[("service", "\"a\"".into()), ("service", "\"b\"".into())]);
        let text = line.finish();
        assert_eq!(
            text,
            "{\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"level\":\"INFO\",\"message\":\"m\",\"service\":\"a\"}\n"
        );
    }
}
