import { describe, expect, it } from 'vitest';
import { openPglite } from './database.ts';

describe('embedded database', () => {
  it('keeps working after a failed statement outside a transaction (PGlite adapter workaround)', async () => {
    const db = await openPglite(null);
    try {
      await db.pool.query('CREATE TABLE t (id int PRIMARY KEY)');
      await db.pool.query('INSERT INTO t VALUES ($1)', [1]);
      await expect(db.pool.query('INSERT INTO t VALUES ($1)', [1])).rejects.toMatchObject({ code: '23505' });
      await expect(db.pool.query({ name: 'named', text: 'INSERT INTO t VALUES ($1)', values: [1] })).rejects.toMatchObject({ code: '23505' });
      for (let i = 0; i < 3; i++) expect((await db.pool.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(1);
      expect((await db.pool.query({ name: 'named', text: 'INSERT INTO t VALUES ($1)', values: [2] })).rowCount).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('refuses a second process on the same data directory', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'foad-lock-'));
    writeFileSync(join(dir, 'foad.lock'), String(process.ppid)); // a live process that is not us
    await expect(openPglite(dir)).rejects.toThrow(/in use by process/);
    rmSync(dir, { recursive: true, force: true });
  });
});
