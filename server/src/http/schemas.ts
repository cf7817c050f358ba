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

export const Page = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
};

/** Persian free text with a length limit (counted after trimming by the handler). */
export function Text(minLength: number, maxLength: number, description?: string) {
  return Type.String({ minLength, maxLength, ...(description ? { description } : {}) });
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
