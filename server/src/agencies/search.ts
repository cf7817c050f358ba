/**
 * Ranked agency search: how the query finds and orders units. The folding of spellings lives in
 * SQL (agency_search_key, migration 021) so the stored names and the query go through exactly
 * the same function. A unit is a candidate when a word of the query occurs in its name — in any
 * order, as part of a word (short words only at a word's start), across missing spaces — or
 * when the whole is close by trigrams (a typo). Candidates rank by the share of the query they
 * cover, then trigram closeness, then the place the citizen chose.
 */

/** Words people use for an office that its official name does not contain (folded forms). */
const ALSO_KNOWN_AS: Record<string, string[]> = {
  دارایی: ['مالیات'],
  مالیات: ['دارایی'],
  بهداری: ['بهداشت'],
  بیمه: ['تامین'],
  ابفا: ['فاضلاب'],
  گازرسانی: ['گاز'],
  tax: ['مالیات'],
};

export interface SearchPlace {
  provinceId?: number | undefined;
  countyId?: number | undefined;
}

/**
 * SQL pieces for a search of `q`: a FROM addition (the query's words, matched per unit), a WHERE
 * condition and the rank to ORDER BY. `p` appends a parameter and returns its placeholder.
 */
export function searchSql(q: string, place: SearchPlace, p: (value: unknown) => string) {
  const query = p(q);
  const synonyms = p(JSON.stringify(ALSO_KNOWN_AS));
  const province = p(place.provinceId ?? null);
  const county = p(place.countyId ?? null);
  // A word found at the start of a word of the name counts fully; found inside a word or across
  // a missing space («آموزش‌وپرورش», «اسد آباد») half: «راه» inside «کبودرآهنگ» is weaker evidence.
  const from = `CROSS JOIN (SELECT agency_search_key(${query}::text) AS key) sq
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(w * hit), 0)::float8 / greatest(coalesce(sum(w), 0), 1) AS covered
      FROM (
        SELECT length(t) AS w, (
          SELECT coalesce(max(CASE WHEN (' ' || units.search_key) LIKE '% ' || a || '%' THEN 1
                                   WHEN length(replace(a, ' ', '')) > 2 AND strpos(replace(units.search_key, ' ', ''), replace(a, ' ', '')) > 0 THEN 0.5
                                   ELSE 0 END), 0)
          FROM (SELECT t UNION ALL SELECT jsonb_array_elements_text(coalesce(${synonyms}::jsonb -> t, '[]'::jsonb))) alt(a)
        ) AS hit
        FROM unnest(string_to_array(sq.key, ' ')) AS t WHERE length(t) >= 2
      ) words
    ) sm`;
  const where = `(sm.covered > 0 OR similarity(units.search_key, sq.key) > 0.3)`;
  const rank = `sm.covered + 0.5 * similarity(units.search_key, sq.key)
    + CASE WHEN ${province}::int IS NULL THEN 0 WHEN units.province_id = ${province}::int THEN 0.2 WHEN units.province_id IS NULL THEN 0.05 ELSE 0 END
    + CASE WHEN units.county_id = ${county}::int THEN 0.1 ELSE 0 END`;
  return { from, where, rank };
}
