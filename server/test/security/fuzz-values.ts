import fc from 'fast-check';

/**
 * Hostile values for the route fuzz (fuzz-routes.test.ts): from a JSON schema of docs/openapi.json,
 * an arbitrary that gives mostly plausible values (so requests get past validation into the
 * handlers and the database) and often hostile ones — numbers out of every range, strings where
 * numbers go, operator objects, SQL-ish text, unicode, control characters, missing fields.
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema | JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

const HOSTILE: unknown[] = [
  2147483648,
  -2147483649,
  Number.MAX_SAFE_INTEGER + 2, // 2^53 + 1 rounds: a client's "9007199254740993"
  1e308,
  -1e308,
  -1,
  0,
  1.5,
  -0.000001,
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '2147483648',
  '99999999999999999999999',
  '-0',
  '0x1F',
  'abc',
  '',
  ' ',
  "' OR '1'='1' --",
  '1; DROP TABLE complaints; --',
  '$1',
  '%00',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '😀🇮🇷',
  'ي\u200cك\u200f۱۲۳٤',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '2024-02-30T25:61:00Z',
  '1404-13-40',
  '9999999-01-01T00:00:00Z',
  '0000-00-00',
  'x'.repeat(3000),
  { $ne: 1 },
  { $gt: '' },
  [1, 2, 3],
  [[[[]]]],
  [],
  {},
  null,
  true,
  false,
];

/** Values that exist in the database, by the parameter name that holds them (ids, codes, periods). */
export type Pool = Record<string, unknown[]>;

export const hostile = (): fc.Arbitrary<unknown> => fc.constantFrom(...HOSTILE);

function plausibleInteger(s: JsonSchema): fc.Arbitrary<number> {
  const min = s.minimum ?? -5;
  const max = Math.min(s.maximum ?? 60, min + 60);
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(...[s.minimum, s.maximum].filter((v): v is number => v !== undefined), min));
}

function plausibleString(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'date')
    return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'uri') return fc.webUrl();
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 10_000));
    } catch {
      // a pattern fast-check cannot generate from: plain strings below
    }
  }
  const minLength = Math.min(s.minLength ?? 0, 40);
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 40, 60));
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    fc.constantFrom('شکایت از ادارهٔ برق شهرستان همدان که پاسخ نمی‌دهد', '09121234567', '+989121234567', '1404-03', 'received'),
  );
}

/** An arbitrary for one value of `schema`; `depth` stops runaway nesting. */
export function hostileValue(schema: JsonSchema | undefined, pool: unknown[] = [], depth = 0): fc.Arbitrary<unknown> {
  const s = schema ?? {};
  const known = pool.length ? [{ weight: 3, arbitrary: fc.constantFrom(...pool) }] : [];
  return fc.oneof({ weight: 5, arbitrary: plausible(s, depth) }, ...known, { weight: 2, arbitrary: hostile() });
}

function plausible(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return fc.oneof(...union.map((member) => plausible(member, depth)));
  if (s.allOf?.length) return plausible(Object.assign({}, ...s.allOf), depth);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'integer':
      return plausibleInteger(s);
    case 'number':
      return fc.oneof(fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true, noDefaultInfinity: true }), plausibleInteger(s));
    case 'boolean':
      return fc.boolean();
    case 'string':
      return plausibleString(s);
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 3) return fc.constant([]);
      if (Array.isArray(s.items)) return fc.tuple(...s.items.map((item) => hostileValue(item, [], depth + 1)));
      return fc.array(hostileValue(s.items, [], depth + 1), { maxLength: 4 });
    }
    case 'object':
      return depth > 3 ? fc.constant({}) : objectOf(s, {}, depth + 1);
    default:
      return hostile();
  }
}

/**
 * An object of the schema's properties, half the time every field plausible but exactly one
 * hostile (so the hostile value gets past validation of the rest and into the handler), else
 * any mix: required fields mostly present, optional ones sometimes, now and then an unknown key.
 */
export function objectOf(s: JsonSchema, pool: Pool, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(oneHostile(s, pool, depth), mixed(s, pool, depth));
}

function oneHostile(s: JsonSchema, pool: Pool, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(s.properties ?? {});
  if (!names.length) return mixed(s, pool, depth);
  const required = new Set(s.required ?? []);
  const fields = names.map((name) => {
    const known = pool[name]?.length ? [fc.constantFrom(...pool[name]!)] : [];
    return fc.tuple(fc.oneof(...known, ...known, plausible(s.properties![name]!, depth)), fc.boolean());
  });
  return fc.tuple(fc.constantFrom(...names), hostile(), fc.tuple(...fields)).map(([target, bad, values]) => {
    const out: Record<string, unknown> = {};
    names.forEach((name, i) => {
      if (name === target) out[name] = bad;
      else if (required.has(name) || values[i]![1]) out[name] = values[i]![0];
    });
    return out;
  });
}

function mixed(s: JsonSchema, pool: Pool, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const entries = Object.entries(properties).map(([name, property]) =>
    fc
      .tuple(fc.integer({ min: 0, max: 9 }), hostileValue(property, pool[name] ?? [], depth))
      .map(([dice, value]) => (dice < (required.has(name) ? 9 : 5) ? ([name, value] as const) : null)),
  );
  const extra = fc.option(fc.tuple(fc.constantFrom('isAdmin', '__proto__', 'constructor', 'id', 'status', '$where'), hostile()), { freq: 8 });
  return fc.tuple(fc.tuple(...entries), extra).map(([pairs, more]) => {
    const out: Record<string, unknown> = {};
    for (const pair of pairs) if (pair) out[pair[0]] = pair[1];
    if (more) Object.defineProperty(out, more[0], { value: more[1], enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/** A value as it travels in a path segment or a query string. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Query parameters as a hostile client writes them: arrays repeated, objects as `key[sub]=`. */
export function queryString(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const item of value) search.append(key, asText(item));
    else if (value && typeof value === 'object') for (const [sub, inner] of Object.entries(value)) search.append(`${key}[${sub}]`, asText(inner));
    else search.append(key, asText(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
