import canonicalizeModule from 'canonicalize';

// canonicalize is CommonJS whose typings declare an ES default export; at run time the default
// import *is* the function. One cast here keeps the rest of the code typed.
const serialize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** RFC 8785 canonical JSON (sorted keys, fixed number format): the same value always gives the same text. */
export function canonicalJson(input: unknown): string {
  return serialize(input) ?? '';
}
