//! Streamed responses, once the types are lowered: an SSE schema that
//! describes the whole event (a struct of `data` and only other SSE
//! fields, `event`, `id`, `retry`, as many specs write it) stands for its
//! `data` field's type, since `Event<T>` carries the other fields; and what
//! `stream()` sets on the request besides `Accept`: a body with a boolean
//! `stream` property (model APIs answer JSON or `text/event-stream` by it)
//! has it set to `true`.

use crate::diag::Diagnostics;
use crate::model::{Access, Operation, StreamFormat, Ty, TypeDef, TypeKind};

/// The type of `data` in a struct that describes a whole SSE event.
fn event_data(item: &Ty, defs: &[TypeDef]) -> Option<Ty> {
    let Ty::Named(name) = item else {
        return None;
    };
    let def = defs.iter().find(|d| d.name.rust == *name)?;
    let TypeKind::Struct(s) = &def.kind else {
        return None;
    };
    if s.additional.is_some()
        || !s
            .fields
            .iter()
            .all(|f| matches!(f.name.wire.as_str(), "data" | "event" | "id" | "retry"))
    {
        return None;
    }
    let data = s.fields.iter().find(|f| f.name.wire == "data")?;
    let mut ty = &data.ty;
    while let Ty::Option(inner) | Ty::Box(inner) = ty {
        ty = inner;
    }
    Some(ty.clone())
}

/// The body's boolean `stream` property, when its type is a struct that has one.
fn flag(op: &Operation, defs: &[TypeDef]) -> Option<Access> {
    let body = op.body.as_ref()?;
    let Ty::Named(name) = &body.ty else {
        return None;
    };
    let def = defs.iter().find(|d| d.name.rust == *name)?;
    let TypeKind::Struct(s) = &def.kind else {
        return None;
    };
    let field = s.fields.iter().find(|f| f.name.wire == "stream")?;
    match &field.ty {
        Ty::Bool => Some(Access {
            field: field.name.rust.clone(),
            optional: false,
        }),
        Ty::Option(inner) if **inner == Ty::Bool => Some(Access {
            field: field.name.rust.clone(),
            optional: true,
        }),
        _ => None,
    }
}

/// Sets each streamed response's `flag`. An operation that also pages
/// keeps its paged `stream()` and loses the streamed form, with a warning.
pub fn detect(ops: &mut [Operation], defs: &[TypeDef], diags: &mut Diagnostics) {
    for op in ops {
        if op.response.stream.is_none() {
            continue;
        }
        if op.pagination.is_some() {
            diags.warning(
                format!(
                    "`{}` both pages and streams; its `stream()` walks the pages, the streamed form is not offered",
                    op.name.wire
                ),
                None,
            );
            op.response.stream = None;
            continue;
        }
        let flag = flag(op, defs);
        if let Some(stream) = &mut op.response.stream {
            stream.flag = flag;
            if stream.format == StreamFormat::Sse
                && let Some(data) = event_data(&stream.item, defs)
            {
                stream.item = data;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::model_of;
    use crate::model::{Access, StreamFormat, Ty};

    /// Media types, schemas and bodies → the stream `stream()` reads.
    #[test]
    fn streams_table() {
        let spec = r##"
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /chat:
    post:
      operationId: chat
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties: {stream: {type: boolean}, prompt: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Chunk"}
            text/event-stream:
              schema: {$ref: "#/components/schemas/ChunkEvent"}
  /only:
    post:
      operationId: only
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [stream]
              properties: {stream: {type: boolean}}
      responses:
        "200":
          description: ok
          content:
            text/event-stream:
              schema: {$ref: "#/components/schemas/Chunk"}
  /logs:
    get:
      operationId: logs
      responses:
        "200":
          description: ok
          content:
            application/x-ndjson:
              schema: {$ref: "#/components/schemas/Chunk"}
  /seq:
    get:
      operationId: seq
      responses:
        "200":
          description: ok
          content:
            application/json-seq:
              schema: {type: integer}
  /plain:
    get:
      operationId: plain
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string}
components:
  schemas:
    Chunk:
      type: object
      properties: {text: {type: string}}
    ChunkEvent:
      type: object
      required: [data]
      properties:
        event: {type: string}
        data: {$ref: "#/components/schemas/Chunk"}
"##;
        let model = model_of(spec, "");
        let chunk = Ty::Named("Chunk".into());
        let flag = |optional| {
            Some(Access {
                field: "stream".into(),
                optional,
            })
        };
        let table = [
            ("chat", Some((StreamFormat::Sse, chunk.clone(), flag(true)))),
            (
                "only",
                Some((StreamFormat::Sse, chunk.clone(), flag(false))),
            ),
            ("logs", Some((StreamFormat::JsonLines, chunk.clone(), None))),
            ("seq", Some((StreamFormat::JsonSeq, Ty::I64, None))),
            ("plain", None),
        ];
        for (name, want) in table {
            let op = model
                .operations
                .iter()
                .find(|o| o.name.wire == name)
                .unwrap_or_else(|| panic!("{name}"));
            let got = op
                .response
                .stream
                .as_ref()
                .map(|s| (s.format, s.item.clone(), s.flag.clone()));
            assert_eq!(got, want, "{name}");
        }
        // The public API describes `stream()` by its item, and what `send()`
        // returns is what it was.
        let api = crate::public_api::PublicApi::of(&model);
        let described = |name: &str| {
            let m = &api.methods[name];
            (m.returns.as_str(), m.stream.as_deref())
        };
        assert_eq!(described("chat"), ("Chunk", Some("Event<Chunk>")));
        assert_eq!(described("only"), ("String", Some("Event<Chunk>")));
        assert_eq!(described("logs"), ("Vec<u8>", Some("Chunk")));
        assert_eq!(described("seq"), ("Vec<u8>", Some("i64")));
        assert_eq!(described("plain"), ("String", None));
    }

    /// Media types → framing.
    #[test]
    fn formats_table() {
        let table = [
            ("text/event-stream", Some(StreamFormat::Sse)),
            ("Text/Event-Stream; charset=utf-8", Some(StreamFormat::Sse)),
            ("application/jsonl", Some(StreamFormat::JsonLines)),
            ("application/x-ndjson", Some(StreamFormat::JsonLines)),
            ("application/json-seq", Some(StreamFormat::JsonSeq)),
            ("application/json", None),
            ("text/plain", None),
        ];
        for (media, want) in table {
            assert_eq!(StreamFormat::of(media), want, "{media}");
        }
    }
}
