/**
 * Logs never carry a one-time code, a phone number or a national id, in any mode. Known fields
 * are cut by pino's `redact`; everything else that is text — messages, nested values, error
 * messages, request URLs — goes through `maskText`, which replaces anything shaped like an
 * Iranian mobile number, a 10-digit national id or a 6-digit code (Latin, Persian or Arabic digits).
 */
const D = '[0-9۰-۹٠-٩]';
const NOT_BEFORE = `(?<!${D})`;
const NOT_AFTER = `(?!${D})`;
const PATTERNS: [RegExp, string][] = [
  [new RegExp(`${NOT_BEFORE}(?:(?:\\+|00)?(?:98|۹۸)|0|۰)?[9۹٩]${D}{9}${NOT_AFTER}`, 'g'), '[phone]'],
  [new RegExp(`${NOT_BEFORE}${D}{10}${NOT_AFTER}`, 'g'), '[national-id]'],
  [new RegExp(`${NOT_BEFORE}${D}{6}${NOT_AFTER}`, 'g'), '[code]'],
];

export function maskText(text: string): string {
  let out = text;
  for (const [pattern, mask] of PATTERNS) out = out.replace(pattern, mask);
  return out;
}

/** Masks strings in plain objects, arrays and errors (bounded depth); other objects pass to the serializers. */
function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error) return serializeError(value);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

function serializeError(error: Error) {
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: maskText(error.message), stack: maskText(error.stack ?? ''), ...(code === undefined ? {} : { code }) };
}

const SECRET_FIELDS = ['phone', 'otp', 'nationalId', 'national_id', 'password', 'totp', 'secret', 'token', 'code'];

/** Fastify logger options with the redaction above; `stream` lets tests capture the output. */
export function loggerOptions(level: string, stream?: { write(line: string): void }) {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', ...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`)],
      censor: '[redacted]',
    },
    formatters: { log: (object: Record<string, unknown>) => maskDeep(object) as Record<string, unknown> },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskText(a) : a)),
        );
      },
    },
    serializers: {
      err: serializeError,
      req: (request: { method: string; url: string; ip?: string }) => ({ method: request.method, url: maskText(request.url), remoteAddress: request.ip }),
    },
  };
}
