/// serde's reason for refusing a value (its English `Display`: `invalid type: string "a",
/// expected f64`, `missing field `x``, …) as a message code with values: the field it names and
/// the kinds of value found and expected (`text`, `number`, `integer`, `boolean`, `list`,
/// `object`, `nothing`, `other`), so the page words it in the learner's language
/// (`err.serde_*`, `err.value_kind.*`). Reasons serde words otherwise become `serde_other`.
pub fn serde_reason(text: &str) -> Msg {
    // serde_json adds where it was: " at line 1 column 12".
    // serde-wasm-bindgen's reasons are JS errors: "Error: missing field `x`".
    let text = text.trim_start_matches("Error: ");
    let text = match text.rfind(" at line ") {
        Some(i) if text[i..].contains(" column ") => &text[..i],
        _ => text,
    };
    let quoted = |s: &str| -> Option<String> {
        let start = s.find('`')? + 1;
        let end = start + s[start..].find('`')?;
        Some(s[start..end].to_string())
    };
    let msg = |code: &str, values: Vec<(&str, Value)>| Msg::new(code, values);
    if let Some(rest) = text.strip_prefix("missing field ") {
        if let Some(field) = quoted(rest) {
            return msg("serde_missing_field", vec![("field", field.into())]);
        }
    }
    if let Some(rest) = text.strip_prefix("duplicate field ") {
        if let Some(field) = quoted(rest) {
            return msg("serde_duplicate_field", vec![("field", field.into())]);
        }
    }
    if let Some(rest) = text.strip_prefix("unknown field ") {
        if let Some(field) = quoted(rest) {
            if let Some((_, meant)) = rest.split_once("did you mean ") {
                if let Some(meant) = quoted(meant) {
                    return msg("serde_unknown_field_meant", vec![("field", field.into()), ("meant", meant.into())]);
                }
            }
            return msg("serde_unknown_field", vec![("field", field.into())]);
        }
    }
    if let Some(rest) = text.strip_prefix("unknown variant ") {
        if let Some(variant) = quoted(rest) {
            return msg("serde_unknown_variant", vec![("variant", variant.into())]);
        }
    }
    for (prefix, code) in [("invalid type: ", "serde_invalid_type"), ("invalid value: ", "serde_invalid_value")] {
        if let Some((found, expected)) = text.strip_prefix(prefix).and_then(|r| r.rsplit_once(", expected ")) {
            return msg(code, vec![("found", value_kind(found).into()), ("expected", value_kind(expected).into())]);
        }
    }
    if let Some(rest) = text.strip_prefix("invalid length ") {
        if let Some(n) = rest.split(',').next().and_then(|n| n.trim().parse::<u64>().ok()) {
            return msg("serde_invalid_length", vec![("n", n.into())]);
        }
    }
    own_message(text).unwrap_or_else(|| msg("serde_other", vec![]))
}

/// A reason that is one of this crate's own messages: a checked type (`#[serde(try_from)]`, e.g.
/// a search space) refused the value and serde kept only its English text. Its code and values
/// are read back from the template, so the page words it (values as the text shows them).
fn own_message(text: &str) -> Option<Msg> {
    // (a template that is all value, e.g. `{detail}`, would claim any text)
    let worded = |template: &str| template.split('{').map(|p| p.split_once('}').map_or(p, |(_, l)| l)).any(|l| l.len() > 3);
    CODES
        .iter()
        .filter(|(_, template)| worded(template))
        .find_map(|&(code, template)| Some(Msg::new(code, match_template(template, text)?)))
}

/// The values of `template`'s `{name}`s if `text` is `template` filled in, else `None`.
fn match_template<'a>(template: &'a str, text: &str) -> Option<Vec<(&'a str, Value)>> {
    let (mut t, mut rest, mut values) = (template, text, Vec::new());
    while let Some(open) = t.find('{') {
        rest = rest.strip_prefix(&t[..open])?;
        let close = open + t[open..].find('}')?;
        let name = &t[open + 1..close];
        t = &t[close + 1..];
        // the value runs to the next literal piece of the template (or to the end)
        let next = &t[..t.find('{').unwrap_or(t.len())];
        let end = match (next.is_empty(), t.is_empty()) {
            (true, true) => rest.len(),
            (true, false) => return None,
            (false, _) => rest.find(next)?,
        };
        let text = &rest[..end];
        // a `why` was written from its key's template (`file_why.<key>`): read the key back
        let why = (name == "why").then(|| CODES.iter().find(|(c, t)| c.starts_with("file_why.") && *t == text)).flatten();
        values.push((name, why.map_or_else(|| Value::from(text), |(c, _)| Value::from(&c["file_why.".len()..]))));
        rest = &rest[end..];
    }
    (rest == t).then_some(values)
}

/// The kind of value serde names (`string "a"`, `f64`, `a sequence`, `struct State`, …).
fn value_kind(named: &str) -> &'static str {
    let s = named.trim().trim_start_matches("a ").trim_start_matches("an ");
    let word = s.split([' ', '`', ':']).next().unwrap_or("");
    match word {
        "string" | "str" | "char" | "character" => "text",
        "floating" | "f64" | "f32" | "number" => "number",
        "integer" | "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => "integer",
        "boolean" | "bool" => "boolean",
        "sequence" | "list" | "tuple" | "array" => "list",
        "map" | "struct" | "object" | "internally" | "newtype" => "object",
        "null" | "unit" | "option" | "none" => "nothing",
        _ => "other",
    }
}
