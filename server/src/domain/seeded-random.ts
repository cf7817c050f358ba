/**
 * mulberry32: a small, fast, seedable generator — good enough for simulation and demo data, not
 * for secrets. Seeded so that what it drives (the demo history, published rank intervals, the
 * triage folds) comes out the same on every machine and every run.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
