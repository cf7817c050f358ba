import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../core/errors.ts';
import { can, type Permission } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import { findSessionPrincipal } from './store.ts';
import { hashSecret } from './tokens.ts';

export const SESSION_COOKIE = 'foad_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member; throws `unauthenticated` when there is none. */
    staff(): Promise<StaffPrincipal>;
    /** The signed-in staff member, checked for a permission. */
    staffWith(permission: Permission): Promise<StaffPrincipal>;
    sessionToken(): string | null;
  }
}

/** Reads the staff session from the `foad_session` cookie or an `Authorization: Bearer` header, once per request. */
export const authPlugin = fp(async (app: FastifyInstance) => {
  const cache = new WeakMap<FastifyRequest, Promise<StaffPrincipal | null>>();
  app.decorateRequest('sessionToken', function (this: FastifyRequest) {
    const header = this.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim() || null;
    return this.cookies[SESSION_COOKIE] ?? null;
  });
  app.decorateRequest('staff', async function (this: FastifyRequest) {
    let pending = cache.get(this);
    if (!pending) {
      const token = this.sessionToken();
      pending = token ? findSessionPrincipal(app.deps.db.pool, hashSecret(token, app.deps.config.secret), app.deps.config.clock.now()) : Promise.resolve(null);
      cache.set(this, pending);
    }
    const user = await pending;
    if (!user) throw new AppError('unauthenticated');
    return user;
  });
  app.decorateRequest('staffWith', async function (this: FastifyRequest, permission: Permission) {
    const user = await this.staff();
    if (!can(user.role, permission)) throw new AppError('forbidden', { permission });
    return user;
  });
});
