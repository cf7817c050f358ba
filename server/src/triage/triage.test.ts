import { describe, expect, it } from 'vitest';
import { seededRandom } from '../reports/league-table.ts';
import { CATEGORIES } from '../seed/catalogue.ts';
import { DEMO_AGENCIES } from '../seed/demo.ts';
import { loadCorpus } from './corpus.ts';
import { crossValidate } from './evaluate.ts';
import { finglishToPersian, foldForTriage, triageFeatures } from './features.ts';
import { SoftmaxClassifier } from './softmax.ts';

const agencyCodes = new Set(DEMO_AGENCIES.flatMap((a) => [a.code, ...(a.children ?? []).map((c) => c.code)]));

describe('the labelled texts', () => {
  it('hold at least 300 texts, each labelled with a seeded organisation and category', () => {
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const categories = new Set(CATEGORIES.map((c) => c.code));
    for (const e of corpus) {
      expect(agencyCodes, e.text).toContain(e.agency);
      expect(categories, e.text).toContain(e.category);
      expect(e.text.length).toBeGreaterThan(5);
    }
    expect(new Set(corpus.map((e) => e.text)).size).toBe(corpus.length);
  });
});

describe('triage features', () => {
  it('fold the ways people type the same words', () => {
    expect(foldForTriage('كارمند اداره‌ي برق')).toBe(foldForTriage('کارمند اداره ی برق'));
    expect(foldForTriage('آب و فاضلاب ۱۲۲')).toBe('اب و فاضلاب 122');
    expect(finglishToPersian('bargh')).toBe('برق');
    expect(finglishToPersian('edare')).toBe('اداره');
  });

  it('let Finglish share n-grams with Persian script', () => {
    const persian = triageFeatures('اداره برق');
    const shared = [...triageFeatures('edare bargh').keys()].filter((f) => persian.has(f));
    expect(shared).toContain('w:برق');
    expect(shared.length).toBeGreaterThan(5);
  });
});

describe('the triage model', () => {
  // Trains ten models: give it room on a busy machine (the limit guards a hang, not speed).
  it('meets the targets in cross-validation: organisation top-3 ≥ 90%, category top-1 ≥ 80%', { timeout: 600_000 }, () => {
    const result = crossValidate(loadCorpus(), { folds: 5, seed: 128, curve: [] });
    expect(result.agency.top3).toBeGreaterThanOrEqual(0.9);
    expect(result.category.top1).toBeGreaterThanOrEqual(0.8);
  });

  it('learns from one operator choice at a time', () => {
    const model = new SoftmaxClassifier();
    model.fit(
      loadCorpus().map((e) => ({ text: e.text, label: e.agency })),
      10,
      seededRandom(5),
    );
    const text = 'پلاک کوبی منزل رو انجام نمیدن';
    const before = model.predict(text).find((s) => s.label === 'NOCR')!.probability;
    for (let i = 0; i < 3; i++) model.learn(text, 'NOCR');
    const after = model.predict(text);
    expect(after.find((s) => s.label === 'NOCR')!.probability).toBeGreaterThan(before);
    expect(after[0]!.label).toBe('NOCR');
    expect(after.reduce((sum, s) => sum + s.probability, 0)).toBeCloseTo(1, 6);
  });

  it('suggests the right office for texts it has not seen', () => {
    const model = new SoftmaxClassifier();
    model.fit(
      loadCorpus().map((e) => ({ text: e.text, label: e.agency })),
      10,
      seededRandom(5),
    );
    expect(model.predict('کنتور برق خونه مون سوخته کسی نمیاد')[0]!.label).toBe('TAVANIR');
    expect(model.predict('sanad khoneh ro nemidan')[0]!.label).toBe('SSAA');
    expect(model.predict('مستمری بازنشستگی پدرم قطع شده')[0]!.label).toBe('SSO');
  });
});
