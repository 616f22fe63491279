// OpenAPI 3.0 schemas as JSON Schema for ajv, shared by server.js and
// check-examples.js.
'use strict';

// OpenAPI 3.0's `nullable` in JSON Schema terms (ajv knows `nullable` only
// next to `type`): `type: [t, "null"]`, or `anyOf: [schema, {type: null}]`.
function jsonSchema(node) {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'enum' || k === 'example' || k === 'default' ? v : jsonSchema(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string' && !out.anyOf && !out.oneOf && !out.allOf && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  if (out.nullable === false) delete out.nullable;
  return out;
}

module.exports = { jsonSchema };
