import { seededRandom } from '../reports/league-table.ts';
import type { LabelledText } from './corpus.ts';
import { SoftmaxClassifier } from './softmax.ts';

export interface Accuracy {
  top1: number;
  top3: number;
}

export interface Evaluation {
  examples: number;
  folds: number;
  agency: Accuracy;
  category: Accuracy;
  /** Accuracy when trained on only the first `trained` examples of each training fold. */
  curve: { trained: number; agency: Accuracy; category: Accuracy }[];
}

/** Splits examples into `k` folds, each label spread evenly over them, after a seeded shuffle. */
export function stratifiedFolds(examples: LabelledText[], k: number, seed: number): LabelledText[][] {
  const random = seededRandom(seed);
  const shuffled = [...examples].map((e) => [random(), e] as const).sort((a, b) => a[0] - b[0]);
  const folds: LabelledText[][] = Array.from({ length: k }, () => []);
  const byLabel = new Map<string, LabelledText[]>();
  for (const [, e] of shuffled) byLabel.set(e.agency, [...(byLabel.get(e.agency) ?? []), e]);
  let next = 0;
  for (const group of byLabel.values()) for (const e of group) folds[next++ % k]!.push(e);
  return folds;
}

function score(model: SoftmaxClassifier, test: LabelledText[], label: (e: LabelledText) => string): Accuracy {
  let top1 = 0;
  let top3 = 0;
  for (const e of test) {
    const ranked = model.predict(e.text).map((s) => s.label);
    if (ranked[0] === label(e)) top1++;
    if (ranked.slice(0, 3).includes(label(e))) top3++;
  }
  return { top1: top1 / test.length, top3: top3 / test.length };
}

function mean(values: Accuracy[]): Accuracy {
  return { top1: values.reduce((s, v) => s + v.top1, 0) / values.length, top3: values.reduce((s, v) => s + v.top3, 0) / values.length };
}

/** k-fold cross-validation of the agency and category models, with a learning curve. */
export function crossValidate(examples: LabelledText[], options: { folds?: number; seed?: number; curve?: number[] } = {}): Evaluation {
  const k = options.folds ?? 5;
  const folds = stratifiedFolds(examples, k, options.seed ?? 128);
  const sizes = options.curve ?? [20, 50, 100, 150, 200];
  const results: { agency: Accuracy; category: Accuracy }[] = [];
  const curve = new Map<number, { agency: Accuracy[]; category: Accuracy[] }>();
  folds.forEach((test, i) => {
    const train = folds.filter((_, j) => j !== i).flat();
    const fitOn = (examples: LabelledText[]) => {
      const agency = new SoftmaxClassifier();
      const category = new SoftmaxClassifier();
      agency.fit(
        examples.map((e) => ({ text: e.text, label: e.agency })),
        10,
        seededRandom(i + 1),
      );
      category.fit(
        examples.map((e) => ({ text: e.text, label: e.category })),
        10,
        seededRandom(i + 101),
      );
      return { agency: score(agency, test, (x) => x.agency), category: score(category, test, (x) => x.category) };
    };
    for (const size of sizes.filter((n) => n < train.length)) {
      const point = curve.get(size) ?? { agency: [], category: [] };
      const r = fitOn(train.slice(0, size));
      point.agency.push(r.agency);
      point.category.push(r.category);
      curve.set(size, point);
    }
    results.push(fitOn(train));
  });
  return {
    examples: examples.length,
    folds: k,
    agency: mean(results.map((r) => r.agency)),
    category: mean(results.map((r) => r.category)),
    curve: [...curve.entries()].map(([trained, p]) => ({ trained, agency: mean(p.agency), category: mean(p.category) })),
  };
}
