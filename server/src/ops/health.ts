import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';

/** Whether this instance should take traffic; set to false when SIGTERM starts the drain. */
export interface Readiness {
  accepting: boolean;
}

/**
 * `/livez`: the process answers (a load balancer restarts it when not).
 * `/readyz`: the database is reachable and writable (the primary, not a standby left behind by a
 * failover) and every migration file is applied; 503 otherwise and while shutting down, so
 * HAProxy or a load balancer stops sending new requests here.
 */
export async function healthRoutes(app: FastifyInstance, options: { db: Database; readiness: Readiness }): Promise<void> {
  const { db, readiness } = options;
  app.get('/livez', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    const checks: Record<string, boolean | string> = { accepting: readiness.accepting };
    try {
      const row = (await db.pool.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery')).rows[0];
      checks.database = true;
      checks.writable = row?.recovery === false;
      const pending = await pendingMigrations(db);
      checks.migrations = pending.length === 0 ? true : `pending: ${pending.join(', ')}`;
    } catch (error) {
      checks.database = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
    const ok = Object.values(checks).every((value) => value === true);
    return reply.status(ok ? 200 : 503).send({ ok, checks });
  });
}
