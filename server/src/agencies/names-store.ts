import type { Queryable } from '../db/database.ts';

/**
 * Unit and province names for the public tracking status, kept in the process. The lookup is the
 * system's hottest read and shows both names on every answer; reading them beside the complaint
 * row (two subplans) cost PostgreSQL about 40 % more than the row and its incident alone — 46
 * against 33 µs of backend CPU per lookup, medians of rounds of 10,000 sequential prepared
 * lookups (docs/benchmarks.md).
 *
 * Names change a few times a year (an admin renames a unit; provinces never). Each process keeps
 * a name a minute; a rename in this process forgets every unit name at once, so another instance
 * shows the old name for at most a minute — no longer than a lagging replica might.
 *
 * Keyed by the pool (or client) asked, so two databases in one process never share names.
 */
const TTL_MS = 60_000;

interface Entry {
  at: number;
  generation: number;
  /** The name once read; until then, the read in flight that every concurrent miss shares. */
  name: string | null | Promise<string | null>;
}

interface Names {
  units: Map<number, Entry>;
  provinces: Map<number, Entry>;
}

const caches = new WeakMap<Queryable, Names>();
/** Bumped by a rename in this process: every unit name read before it is a miss. */
let unitGeneration = 0;

/** After a unit's names change in this process (the change's transaction may not have committed: the TTL covers that race). */
export function forgetUnitNames(): void {
  unitGeneration++;
}

/** The Persian name of a unit, from the cache or one named prepared read. */
export function unitNameFa(db: Queryable, id: number | null): string | null | Promise<string | null> {
  if (id === null) return null;
  return cached(namesOf(db).units, id, unitGeneration, () => readName(db, 'foad_unit_name_fa', 'SELECT name_fa AS "nameFa" FROM units WHERE id = $1', id));
}

/** The Persian name of a province, from the cache or one named prepared read. */
export function provinceNameFa(db: Queryable, id: number | null): string | null | Promise<string | null> {
  if (id === null) return null;
  return cached(namesOf(db).provinces, id, 0, () => readName(db, 'foad_province_name_fa', 'SELECT name_fa AS "nameFa" FROM provinces WHERE id = $1', id));
}

async function readName(db: Queryable, name: string, text: string, id: number): Promise<string | null> {
  const { rows } = await db.query<{ nameFa: string }>({ name, text, values: [id] });
  return rows[0]?.nameFa ?? null;
}

function namesOf(db: Queryable): Names {
  let names = caches.get(db);
  if (!names) {
    names = { units: new Map(), provinces: new Map() };
    caches.set(db, names);
  }
  return names;
}

function cached(map: Map<number, Entry>, id: number, generation: number, read: () => Promise<string | null>): string | null | Promise<string | null> {
  const hit = map.get(id);
  if (hit && hit.generation === generation && Date.now() - hit.at < TTL_MS) return hit.name;
  const entry: Entry = { at: Date.now(), generation, name: null };
  entry.name = read().then(
    (name) => {
      entry.name = name;
      return name;
    },
    (error: unknown) => {
      if (map.get(id) === entry) map.delete(id); // a failed read is not remembered
      throw error;
    },
  );
  map.set(id, entry);
  return entry.name;
}
