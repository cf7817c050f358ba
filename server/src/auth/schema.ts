import { Type } from 'typebox';
import { ROLES } from '../core/roles.ts';
import { Nullable } from '../core/schemas.ts';
import { STAFF_PAGES } from './pages.ts';

export const RoleSchema = Type.Enum(ROLES);

export const PrincipalSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  unitId: Nullable(Type.Integer()),
  provinceId: Nullable(Type.Integer()),
  language: Type.Union([Type.Literal('fa'), Type.Literal('en')]),
});

/** The signed-in staff member and the console pages they may open (home first). */
export const SessionSchema = Type.Object({
  ...PrincipalSchema.properties,
  pages: Type.Array(Type.Enum(STAFF_PAGES), {
    description: 'The staff pages this member may open, their home page first (paths under /staff/)',
  }),
});

export const LoginReply = Type.Object({
  token: Type.String({ description: 'Bearer token for API clients; browsers use the HttpOnly cookie set with it' }),
  expiresAt: Type.String({ format: 'date-time' }),
  user: SessionSchema,
});

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    totp: Type.Optional(Type.String({ maxLength: 12, description: 'Six-digit code from the authenticator app, when enabled' })),
  },
  { additionalProperties: false },
);

export const EnrolBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const TotpSecretReply = Type.Object({
  secret: Type.String({ description: 'Base32 secret, for typing into an authenticator app' }),
  uri: Type.String({ description: 'otpauth://totp/… URI (the QR code carries it)' }),
});

export const CreateStaffBody = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }),
    displayName: Type.String({ minLength: 2, maxLength: 120 }),
    password: Type.String({ minLength: 10, maxLength: 256 }),
    role: RoleSchema,
    unitId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    provinceId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    language: Type.Optional(Type.Union([Type.Literal('fa'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);

export const StaffSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  unitId: Nullable(Type.Integer()),
  provinceId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  totpEnabled: Type.Boolean(),
});
