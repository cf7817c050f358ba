import { type TSchema, Type } from 'typebox';

/** The body of every error reply. */
export const ErrorReply = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. invalid_tracking_code' }),
      message: Type.String({ description: 'Message in the request language (Persian unless Accept-Language: en)' }),
      messages: Type.Object({ fa: Type.String(), en: Type.String() }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: undefined, title: 'Error' },
);

/** Standard error replies for a route: its expected statuses mapped to the error body. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorReply]));
}

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const UuidParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The Idempotency-Key header of a request that creates something (intake, uploads). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_:.-]{8,100}$', description: 'Retries with the same key return the same complaint' })),
});

export const Page = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
};

/** Persian free text with a length limit (counted after trimming by the handler). */
export function Text(minLength: number, maxLength: number, description?: string) {
  return Type.String({ minLength, maxLength, ...(description ? { description } : {}) });
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** PostgreSQL's `integer`: every id and count a request may carry fits here. */
export const INT_MAX = 2_147_483_647;
export const INT_MIN = -2_147_483_648;

type Walkable = Record<string, unknown> & { type?: unknown };

/**
 * Hardens a request schema (issue 11). Bounds every integer (to PostgreSQL's `integer`) and every number (to finite, safe values) a
 * request schema leaves open, so "2147483648", "1e400" or "Infinity" is a 400 at validation
 * instead of a 500 from the database (issue 11). Applied to each route's body, querystring,
 * params and headers when the route is added; explicit bounds of a schema are kept. Ajv checks
 * minimum and maximum only on finite numbers, and its type coercion turns the strings
 * "Infinity" and "1e400" into Infinity, so every number also gets `x-finite` (see finiteKeyword).
 */
export function hardenRequestSchema(schema: unknown, seen = new Set<unknown>()): void {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  const s = schema as Walkable;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('integer') || types.includes('number')) s['x-finite'] = true;
  // A record keyed by a pattern (Type.Record) admits every other key unless told not to: a
  // calendar's week took {"$ne":1} as a weekday.
  if (s.patternProperties && s.additionalProperties === undefined) s.additionalProperties = false;
  if (types.includes('integer')) {
    if (s.maximum === undefined && s.exclusiveMaximum === undefined) s.maximum = INT_MAX;
    if (s.minimum === undefined && s.exclusiveMinimum === undefined) s.minimum = INT_MIN;
  } else if (types.includes('number')) {
    if (s.maximum === undefined && s.exclusiveMaximum === undefined) s.maximum = Number.MAX_SAFE_INTEGER;
    if (s.minimum === undefined && s.exclusiveMinimum === undefined) s.minimum = -Number.MAX_SAFE_INTEGER;
  }
  for (const key of ['properties', 'patternProperties']) {
    const children = s[key];
    if (children && typeof children === 'object') for (const child of Object.values(children)) hardenRequestSchema(child, seen);
  }
  for (const key of ['items', 'additionalProperties', 'additionalItems', 'anyOf', 'oneOf', 'allOf', 'not', 'prefixItems']) {
    const child = s[key];
    if (Array.isArray(child)) for (const c of child) hardenRequestSchema(c, seen);
    else hardenRequestSchema(child, seen);
  }
}

/** The Ajv keyword behind `x-finite`: a number must be finite (coerced "Infinity" is not). */
export const finiteKeyword = {
  keyword: 'x-finite',
  schemaType: 'boolean',
  errors: false,
  // No `type: 'number'` here: Ajv runs number keywords only on finite numbers, which is the gap.
  validate: (required: boolean, data: unknown) => !required || typeof data !== 'number' || Number.isFinite(data),
} as const;
