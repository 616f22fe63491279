// A validating mock server for Stripe's OpenAPI description, for
// `cargo xtask conformance stripe` (Prism cannot serve Stripe's spec).
//
// - Routes: the spec's paths (literal segments win over `{params}`).
// - Requests: the query string and `application/x-www-form-urlencoded`
//   bodies are parsed with `qs` (Stripe's bracket notation: `metadata[k]=v`,
//   `items[0][price]=p`, `created[gt]=1`, `expand[0]=x`); `multipart/form-data`
//   with `busboy`. Each parameter and the body are validated with `ajv`
//   against the operation's schemas (string → number/boolean coercion only,
//   as a form carries text). Unknown query parameters and body properties
//   the schema does not allow are errors.
// - Answers: the spec has no examples, so every answer is generated from
//   the response schema (see `generate`), then validated with `ajv` too.
//   `Prefer: code=N` asks for status N (the `default` response when N is not
//   listed); `Prefer: dynamic=true` for a random answer (without it the
//   answer is the same every time). Lists page three times
//   (`has_more` until the third page, counted from `starting_after`).
// - Log: one JSON object per line on stdout, per request
//   `{"request", "op", "status", "request_errors", "response_errors"}`;
//   `GET /__conformance/mark/N` logs `{"mark": N}` and answers 204.
//
// usage: node server.js --port PORT --spec stripe.json
'use strict';

const fs = require('fs');
const http = require('http');
const qs = require('qs');
const Ajv = require('ajv');
const Busboy = require('busboy');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const spec = JSON.parse(fs.readFileSync(args.spec, 'utf8'));

// ---------------------------------------------------------------- schemas

const SPEC_ID = 'spec.json';

const { jsonSchema } = require('./schema');

const ajvOptions = { strict: false, allErrors: true, validateFormats: false, discriminator: false };
// Requests carry text: coerce to the schema's scalar types (never to arrays).
const ajvIn = new Ajv({ ...ajvOptions, coerceTypes: true });
const ajvOut = new Ajv(ajvOptions);
const components = jsonSchema(spec.components);
for (const ajv of [ajvIn, ajvOut]) ajv.addSchema({ $id: SPEC_ID, components }, SPEC_ID);

const compiled = new Map();
function validator(ajv, schema, key) {
  const cacheKey = `${ajv === ajvIn ? 'in' : 'out'}:${key}`;
  if (!compiled.has(cacheKey)) {
    // Inline schemas refer to components as `#/components/...`: make those
    // references absolute to the document added above.
    const text = JSON.stringify(jsonSchema(schema)).replace(/"\$ref":"#\//g, `"$ref":"${SPEC_ID}#/`);
    compiled.set(cacheKey, ajv.compile(JSON.parse(text)));
  }
  return compiled.get(cacheKey);
}

function errorsOf(validate, where) {
  return (validate.errors || []).slice(0, 5).map((e) => `${where}${e.instancePath} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}${e.params && e.params.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`);
}

function deref(schema) {
  let s = schema;
  for (let i = 0; s && s.$ref && i < 32; i++) {
    s = s.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o && o[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return s || {};
}

// ----------------------------------------------------------------- routes

const routes = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
    const names = [];
    const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, n) => {
      names.push(n);
      return '([^/]+)';
    });
    routes.push({ method: method.toUpperCase(), path, op, names, regex: new RegExp(`^${pattern}$`) });
  }
}
routes.sort((a, b) => a.names.length - b.names.length);

// -------------------------------------------------------------- generator

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}
function hash(text) {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const MAX_DEPTH = 4;
const HARD_DEPTH = 14;

// A value for `schema`. `ctx.random` false: the same answer every time,
// optional properties present near the top; true: random choices.
function generate(schema, ctx, depth) {
  if (depth > HARD_DEPTH) throw new Error('schema nests too deeply to generate');
  schema = deref(schema);
  const r = ctx.rand;
  if (schema.nullable && (depth >= MAX_DEPTH || (ctx.random && r() < 0.2))) return null;
  const union = schema.anyOf || schema.oneOf;
  if (union) {
    let branches = union.map(deref);
    if (depth >= MAX_DEPTH) {
      const flat = branches.filter((b) => b.type && b.type !== 'object' && b.type !== 'array');
      if (flat.length) branches = flat;
    }
    const pick = ctx.random ? branches[Math.floor(r() * branches.length)] : branches[0];
    const value = generate(pick, ctx, depth);
    return schema.nullable === undefined ? value : value;
  }
  if (schema.allOf) {
    const merged = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf.map(deref)) {
      Object.assign(merged.properties, part.properties || {});
      merged.required.push(...(part.required || []));
    }
    return generate(merged, ctx, depth);
  }
  if (schema.enum) {
    const values = schema.enum.filter((v) => v !== null);
    return ctx.random ? values[Math.floor(r() * values.length)] : values[0];
  }
  switch (schema.type) {
    case 'object': {
      const out = {};
      const required = new Set(schema.required || []);
      for (const [name, prop] of Object.entries(schema.properties || {})) {
        const include = required.has(name) || (depth < MAX_DEPTH - 1 && (ctx.random ? r() < 0.6 : depth < 2));
        if (include) out[name] = generate(prop, ctx, depth + 1);
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !schema.properties) {
        const n = ctx.random ? Math.floor(r() * 3) : 1;
        for (let i = 0; i < n; i++) out[`key_${i}`] = generate(schema.additionalProperties, ctx, depth + 1);
      }
      return out;
    }
    case 'array': {
      if (depth >= MAX_DEPTH) return [];
      const n = ctx.random ? Math.floor(r() * 3) : 1;
      const items = [];
      for (let i = 0; i < n; i++) items.push(generate(schema.items || {}, ctx, depth + 1));
      return items;
    }
    case 'integer': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? min + 1700000000;
      return ctx.random ? Math.floor(min + r() * (max - min)) : min;
    }
    case 'number': {
      const min = schema.minimum ?? 0;
      return ctx.random ? min + Math.round(r() * 100000) / 100 : min + 1.5;
    }
    case 'boolean':
      return ctx.random ? r() < 0.5 : true;
    case 'string': {
      let text = ctx.random ? `str_${Math.floor(r() * 1e9).toString(36)}` : 'string';
      // Stripe's patterns are literal prefixes (`^/v1/customers`).
      if (schema.pattern && /^\^[\w/.-]*$/.test(schema.pattern)) text = schema.pattern.slice(1);
      if (schema.maxLength !== undefined) text = text.slice(0, schema.maxLength);
      while (schema.minLength !== undefined && text.length < schema.minLength) text += 'x';
      return text;
    }
    default:
      return ctx.random && r() < 0.5 ? { any: 'value' } : 'any value';
  }
}

// Lists: `data` items get ids that say their page; `has_more` until page 3.
function pageList(value, schema, page) {
  const s = deref(schema);
  if (!value || typeof value !== 'object' || !s.properties || !s.properties.has_more || !s.properties.data) return;
  value.has_more = page < 2;
  if (!Array.isArray(value.data) || value.data.length === 0) return;
  value.data.forEach((item, i) => {
    if (item && typeof item === 'object' && typeof item.id === 'string') item.id = `obj_p${page}_${i}`;
  });
}

// ----------------------------------------------------------------- server

function log(entry) {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function multipart(req, raw) {
  return new Promise((resolve) => {
    const fields = {};
    const errors = [];
    let bb;
    try {
      bb = Busboy({ headers: req.headers });
    } catch (e) {
      resolve({ fields, errors: [`body: ${e.message}`] });
      return;
    }
    // OpenAPI 3.0: `style` in a multipart body's `encoding` is ignored, and
    // an object property's part is `application/json` by default.
    bb.on('field', (name, value, info) => {
      if (info && /json/.test(info.mimeType || '')) {
        try {
          fields[name] = JSON.parse(value);
        } catch (e) {
          errors.push(`body.${name}: part is not JSON: ${e.message}`);
        }
        return;
      }
      Object.assign(fields, qs.parse(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`, { depth: 20, arrayLimit: 1000 }));
    });
    bb.on('file', (name, stream, info) => {
      let size = 0;
      stream.on('data', (d) => { size += d.length; });
      stream.on('end', () => { fields[name] = `<file ${info.filename || ''} ${size} bytes>`; });
    });
    bb.on('error', (e) => errors.push(`body: ${e.message}`));
    bb.on('close', () => resolve({ fields, errors }));
    bb.end(raw);
  });
}

function prefer(req) {
  const out = {};
  for (const part of String(req.headers.prefer || '').split(/[,;]/)) {
    const [k, v] = part.split('=').map((x) => (x || '').trim());
    if (k) out[k] = v;
  }
  return out;
}

let requestCount = 0;

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const raw = await readBody(req);
  if (url.pathname.startsWith('/__conformance/mark/')) {
    const mark = url.pathname.split('/').pop();
    log({ mark: /^\d+$/.test(mark) ? Number(mark) : mark, path: url.pathname });
    res.writeHead(204);
    res.end();
    return;
  }
  requestCount++;
  const entry = { request: `${req.method} ${url.pathname}`, op: null, status: 0, request_errors: [], response_errors: [] };
  const requestErrors = entry.request_errors;
  const route = routes.find((r) => r.method === req.method && r.regex.test(url.pathname));
  if (!route) {
    requestErrors.push(`no operation for ${req.method} ${url.pathname}`);
    entry.status = 404;
    log(entry);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'no such route' } }));
    return;
  }
  const op = route.op;
  entry.op = op.operationId;
  const key = `${route.method} ${route.path}`;

  // Path parameters.
  const match = route.regex.exec(url.pathname);
  const params = op.parameters || [];
  route.names.forEach((name, i) => {
    let value;
    try {
      value = decodeURIComponent(match[i + 1]);
    } catch (e) {
      requestErrors.push(`path.${name}: not percent-encoded UTF-8`);
      return;
    }
    const p = params.find((x) => x.in === 'path' && x.name === name);
    if (p && p.schema) {
      const v = validator(ajvIn, p.schema, `${key} path ${name}`);
      if (!v(value)) requestErrors.push(...errorsOf(v, `path.${name}`));
    }
  });

  // Query parameters (qs: brackets for deepObject, indices for arrays).
  const query = qs.parse(url.search.replace(/^\?/, ''), { depth: 20, arrayLimit: 1000, parameterLimit: 10000 });
  for (const p of params.filter((x) => x.in === 'query')) {
    if (!(p.name in query)) {
      if (p.required) requestErrors.push(`query.${p.name}: required`);
      continue;
    }
    const holder = { value: query[p.name] };
    const v = validator(ajvIn, { type: 'object', properties: { value: p.schema || {} } }, `${key} query ${p.name}`);
    if (!v(holder)) requestErrors.push(...errorsOf(v, `query.${p.name}`).map((e) => e.replace(`query.${p.name}/value`, `query.${p.name}`)));
  }
  for (const name of Object.keys(query)) {
    if (!params.some((x) => x.in === 'query' && x.name === name)) requestErrors.push(`query.${name}: not a parameter of ${op.operationId}`);
  }
  // Security: one of the operation's (or the spec's) alternatives.
  const security = op.security || spec.security || [];
  if (security.length > 0) {
    const auth = String(req.headers.authorization || '');
    const schemes = (spec.components && spec.components.securitySchemes) || {};
    const met = security.some((alternative) =>
      Object.keys(alternative).every((name) => {
        const scheme = schemes[name] || {};
        if (scheme.type === 'http') return auth.toLowerCase().startsWith(`${String(scheme.scheme).toLowerCase()} `);
        if (scheme.type === 'apiKey' && scheme.in === 'header') return req.headers[String(scheme.name).toLowerCase()] !== undefined;
        return Object.keys(alternative).length === 0;
      }),
    );
    if (!met) requestErrors.push(`security: no credentials for any of ${JSON.stringify(security)}`);
  }
  for (const p of params.filter((x) => x.in === 'header' && x.required)) {
    if (req.headers[p.name.toLowerCase()] === undefined) requestErrors.push(`header.${p.name}: required`);
  }

  // The body.
  const bodySpec = op.requestBody && op.requestBody.content;
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (raw.length > 0 || type) {
    if (!bodySpec) {
      if (raw.length > 0) requestErrors.push(`body: ${op.operationId} takes no body`);
    } else if (!bodySpec[type]) {
      requestErrors.push(`body: content type \`${type}\` is not one of ${Object.keys(bodySpec).join(', ')}`);
    } else {
      let body;
      if (type === 'application/x-www-form-urlencoded') {
        body = qs.parse(raw.toString('utf8'), { depth: 20, arrayLimit: 1000, parameterLimit: 10000 });
      } else if (type === 'multipart/form-data') {
        const parsed = await multipart(req, raw);
        requestErrors.push(...parsed.errors);
        body = parsed.fields;
      } else if (type === 'application/json') {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (e) {
          requestErrors.push(`body: not JSON: ${e.message}`);
        }
      }
      if (body !== undefined && bodySpec[type].schema) {
        const v = validator(ajvIn, bodySpec[type].schema, `${key} body ${type}`);
        if (!v(body)) requestErrors.push(...errorsOf(v, 'body'));
      }
    }
  } else if (op.requestBody && op.requestBody.required) {
    requestErrors.push('body: required');
  }

  // The answer.
  const want = prefer(req);
  const responses = op.responses || {};
  let status = want.code ? Number(want.code) : Number(Object.keys(responses).find((c) => /^2\d\d$/.test(c)) || 200);
  const response = deref(responses[String(status)] || responses.default || {});
  if (requestErrors.length > 0) {
    // Stripe answers an invalid request with 400 and its error object.
    status = 400;
  }
  const answer = requestErrors.length > 0 ? deref(responses.default || {}) : response;
  const content = answer.content || {};
  const [media, body] = Object.entries(content)[0] || [];
  const random = want.dynamic === 'true';
  const seed = random ? hash(`${key} ${requestCount}`) : hash(key);
  const ctx = { random, rand: rng(seed) };
  entry.status = status;
  if (!media) {
    log(entry);
    res.writeHead(status);
    res.end();
    return;
  }
  if (!/json/.test(media)) {
    const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + seed) & 0xff));
    log(entry);
    res.writeHead(status, { 'content-type': media });
    res.end(bytes);
    return;
  }
  let value;
  try {
    value = generate(body.schema || {}, ctx, 0);
    const after = query.starting_after;
    const page = typeof after === 'string' && /^obj_p(\d+)_/.test(after) ? Number(/^obj_p(\d+)_/.exec(after)[1]) + 1 : 0;
    pageList(value, body.schema || {}, page);
    const v = validator(ajvOut, body.schema || {}, `${key} response ${status} ${media}`);
    if (!v(value)) entry.response_errors.push(...errorsOf(v, 'response'));
  } catch (e) {
    entry.response_errors.push(`response: cannot generate: ${e.message}`);
  }
  log(entry);
  res.writeHead(status, { 'content-type': media });
  res.end(JSON.stringify(value === undefined ? {} : value));
}

http
  .createServer((req, res) => {
    handle(req, res).catch((e) => {
      log({ request: `${req.method} ${req.url}`, request_errors: [], response_errors: [`server: ${e.stack}`] });
      res.writeHead(500);
      res.end();
    });
  })
  .listen(Number(args.port), '127.0.0.1', () => log({ listening: Number(args.port) }));
