// Validates the named response examples a conformance plan lists against
// their schemas with ajv, for `cargo xtask conformance`: an example that
// contradicts its own schema is listed in the report (with its pointer)
// instead of failing the run when the client refuses it.
//
// usage: node check-examples.js SPEC PLAN > RESULT
// RESULT: {"<example pointer>": ["<error>", …]} for every example checked.
'use strict';

const fs = require('fs');
const Ajv = require('ajv');
const { jsonSchema } = require('./schema');

const [specPath, planPath] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
const plan = JSON.parse(fs.readFileSync(planPath, 'utf8'));

function at(pointer) {
  return pointer
    .split('/')
    .slice(1)
    .reduce((o, k) => (o === undefined ? undefined : o[k.replace(/~1/g, '/').replace(/~0/g, '~')]), spec);
}
// A `$ref` is replaced by what it points at, wherever it is (as Prism does).
function resolved(value, depth = 0) {
  if (depth > 64 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => resolved(v, depth + 1));
  if (typeof value.$ref === 'string' && value.$ref.startsWith('#/')) return resolved(at(value.$ref.slice(1)), depth + 1);
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolved(v, depth + 1);
  return out;
}

const SPEC_ID = 'spec.json';
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: SPEC_ID, components: jsonSchema(spec.components) }, SPEC_ID);
const result = {};
for (const op of Object.values(plan.operations)) {
  for (const example of op.examples || []) {
    if (!example.schema) continue;
    const schema = at(example.schema);
    const object = resolved(at(example.pointer));
    if (!schema || !object) continue;
    try {
      const text = JSON.stringify(jsonSchema(schema)).replace(/"\$ref":"#\//g, `"$ref":"${SPEC_ID}#/`);
      const validate = ajv.compile(JSON.parse(text));
      result[example.pointer] = validate(object.value)
        ? []
        : validate.errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
    } catch (e) {
      result[example.pointer] = [`cannot check: ${e.message}`];
    }
  }
}
process.stdout.write(JSON.stringify(result));
