-- Agency search that finds an office however people write it. Both sides — the stored name and
-- what the citizen typed — go through agency_search_key(): Arabic and Persian letter variants
-- folded (ة ۀ هٔ → ه, أ إ آ ٱ → ا, ي ى ئ → ی, ك → ک, ؤ → و), diacritics, hamza marks and the
-- tatweel dropped, Persian and Arabic-Indic digits to ASCII, ZWNJ and punctuation to spaces,
-- Latin lower-cased. Ranking uses pg_trgm's similarity on the folded forms.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION agency_search_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(regexp_replace(
    translate(lower(t),
      U&'\0629\06C0\06D5\0623\0625\0622\0671\064A\0649\0626\0643\0624'
        || U&'\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9'
        || U&'\200C\060C\061B\061F\00AB\00BB\00A0'
        -- deleted: tanwin, harakat, hamza above/below (U+064B–U+065F), superscript alef, tatweel, ZWJ, bidi marks
        || U&'\064B\064C\064D\064E\064F\0650\0651\0652\0653\0654\0655\0656\0657\0658\0659\065A\065B\065C\065D\065E\065F\0670\0640\200D\200E\200F',
      U&'\0647\0647\0647\0627\0627\0627\0627\06CC\06CC\06CC\06A9\0648'
        || '01234567890123456789'
        || '       '),
    '[\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]', ' ', 'g'),
    '\s+', ' ', 'g'))
$$;

-- Kept by PostgreSQL on every insert and rename: no code path can forget it.
ALTER TABLE units ADD COLUMN search_key text GENERATED ALWAYS AS (agency_search_key(name_fa || ' ' || name_en)) STORED;
CREATE INDEX units_search_key ON units USING gin (search_key gin_trgm_ops);
