//! Numbers that the parsers refuse, read anyway. Only used after a parse
//! failed, so valid documents take the parsers' own path.
//!
//! - YAML: `serde_yaml` hands an integer beyond 64 bits (but within 128, such
//!   as `-9223372036854776000`, which is how JavaScript prints `i64::MIN`) to
//!   `visit_i128`, where `serde_json::Value` refuses it ("JSON number out of
//!   range"), and so the whole document. [`yaml`] reads it as the nearest
//!   64-bit float instead, as `serde_json` does with the same number in JSON,
//!   and records where (a located warning).
//! - JSON: `serde_json` reads integers beyond 64 bits as floats already, but
//!   refuses a number beyond the range of a float (`1e400`). [`quote_huge`]
//!   turns those into strings (the same thing `serde_yaml` makes of
//!   `1e400`), so the document reads and the keyword that holds one is
//!   repaired with a warning when the document is read (`merge/repair.rs`).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diag::escape_token;

/// A number read differently from how it was written: the JSON pointer of
/// the value (in the document) and what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Widened {
    pub pointer: String,
    pub note: String,
}

/// Parses YAML text into a JSON value like `serde_yaml::from_str::<Value>`,
/// except that integers beyond 64 bits become floats (listed in the result).
pub fn yaml(text: &str) -> Result<(Value, Vec<Widened>), serde_yaml::Error> {
    let mut widened = Vec::new();
    let de = serde_yaml::Deserializer::from_str(text);
    let value = Seed {
        pointer: String::new(),
        widened: &mut widened,
    }
    .deserialize(de)?;
    Ok((value, widened))
}

/// Reads one value; `pointer` is where it is in the document.
struct Seed<'w> {
    pointer: String,
    widened: &'w mut Vec<Widened>,
}

impl Seed<'_> {
    fn widen(self, written: String, float: f64) -> Value {
        let Some(n) = Number::from_f64(float) else {
            return Value::Null;
        };
        self.widened.push(Widened {
            pointer: self.pointer,
            note: format!(
                "the integer {written} does not fit in 64 bits; read as the floating-point number {n}"
            ),
        });
        Value::Number(n)
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The same as `serde_json::Value`'s visitor, but for 128-bit integers.
impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            // The nearest float, as `str::parse::<f64>` would round it.
            Err(_) => self.widen(v.to_string(), v as f64),
        })
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => self.widen(v.to_string(), v as f64),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut list = Vec::new();
        loop {
            let seed = Seed {
                pointer: format!("{}/{}", self.pointer, list.len()),
                widened: &mut *self.widened,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => list.push(v),
                None => return Ok(Value::Array(list)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let seed = Seed {
                pointer: format!("{}/{}", self.pointer, escape_token(&key)),
                widened: &mut *self.widened,
            };
            let value = map.next_value_seed(seed)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// `text` with every number beyond the range of a 64-bit float (`1e400`)
/// written as a string (`"1e400"`); `None` if there is none. A lexical scan
/// that skips strings; everything else is left as it is.
pub fn quote_huge(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    let mut i = 0;
    let mut found = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                let token = &text[start..i];
                if token.parse::<f64>().is_ok_and(f64::is_infinite) {
                    out.push_str(&text[copied..start]);
                    out.push('"');
                    out.push_str(token);
                    out.push('"');
                    copied = i;
                    found = true;
                }
            }
            _ => i += 1,
        }
    }
    if !found {
        return None;
    }
    out.push_str(&text[copied.min(text.len())..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn yaml_integers_beyond_64_bits_are_floats() {
        let text = "a:\n  minimum: -9223372036854776000\n  maximum: 18446744073709551616\n  list: [1, -170141183460469231731687303715884105728]\n  small: -5\n  'x/y': 340282366920938463463374607431768211455\n";
        assert!(serde_yaml::from_str::<Value>(text).is_err());
        let (value, widened) = yaml(text).expect("reads");
        assert_eq!(
            value,
            json!({"a": {
                "minimum": -9223372036854775808.0,
                "maximum": 18446744073709551616.0,
                "list": [1, -1.7014118346046923e38],
                "small": -5,
                "x/y": 3.402823669209385e38,
            }})
        );
        let pointers: Vec<&str> = widened.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/a/minimum", "/a/maximum", "/a/list/1", "/a/x~1y"]
        );
        assert_eq!(
            widened[0].note,
            "the integer -9223372036854776000 does not fit in 64 bits; read as the floating-point number -9.223372036854776e+18"
        );
    }

    /// Everything else reads as `serde_yaml` reads it.
    #[test]
    fn yaml_otherwise_as_serde_yaml() {
        let text = "openapi: 3.0.3\nn: ~\nb: yes\nf: 1.5\ninf: .inf\nbig: 1e400\nq: '12'\n200: {a: [x, {b: c}]}\nanchor: &a [1]\nalias: *a\n";
        let (value, widened) = yaml(text).expect("reads");
        assert_eq!(value, serde_yaml::from_str::<Value>(text).expect("reads"));
        assert!(widened.is_empty());
        assert!(yaml("a: !tag x\n").is_err());
        assert!(yaml("a: [\n").is_err());
    }

    #[test]
    fn json_numbers_beyond_floats_become_strings() {
        let text = r#"{"a": 1e400, "b": "1e400 \" 1e999", "c": [-1E+309, 1.5, 12], "d": 18446744073709551616}"#;
        assert!(serde_json::from_str::<Value>(text).is_err());
        let quoted = quote_huge(text).expect("found");
        assert_eq!(
            serde_json::from_str::<Value>(&quoted).expect("reads"),
            json!({"a": "1e400", "b": "1e400 \" 1e999", "c": ["-1E+309", 1.5, 12], "d": 18446744073709551616.0})
        );
        assert_eq!(quote_huge(r#"{"a": 1e300, "b": "1e400"}"#), None);
    }
}
