import { loadCorpus } from '../triage/corpus.ts';
import { crossValidate } from '../triage/evaluate.ts';

/**
 * `npm run eval:triage`: cross-validates the triage models on the labelled texts shipped with
 * Foad and prints top-1 / top-3 accuracy for the organisation and the category, and how accuracy
 * grows with the number of labelled examples (what operators' choices add over time).
 * TRIAGE_FOLDS (5) and TRIAGE_SEED (128) change the split.
 */
const folds = Number(process.env.TRIAGE_FOLDS ?? 5);
const seed = Number(process.env.TRIAGE_SEED ?? 128);
const result = crossValidate(loadCorpus(), { folds, seed, curve: [25, 50, 100, 150, 200, 250] });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`triage: ${result.examples} labelled texts, ${result.folds}-fold cross-validation (seed ${seed})`);
console.log(`organisation  top-1 ${pct(result.agency.top1)}  top-3 ${pct(result.agency.top3)}   (target top-3 ≥ 90%)`);
console.log(`category      top-1 ${pct(result.category.top1)}  top-3 ${pct(result.category.top3)}   (target top-1 ≥ 80%)`);
console.log('\nlearning curve (examples seen → organisation top-1 / top-3, category top-1):');
for (const p of result.curve) console.log(`  ${String(p.trained).padStart(4)}  ${pct(p.agency.top1)} / ${pct(p.agency.top3)}   ${pct(p.category.top1)}`);
console.log(JSON.stringify({ examples: result.examples, agency: result.agency, category: result.category }));
