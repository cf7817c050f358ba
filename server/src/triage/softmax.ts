import { triageFeatures } from './features.ts';

export interface Scored {
  label: string;
  /** Probability under the model (sums to 1 over the labels). */
  probability: number;
}

/**
 * Multinomial logistic regression (softmax) over the n-gram features, trained by stochastic
 * gradient descent with L2 regularisation. It learns which features tell labels apart — the
 * words naming an office («برق», «بیمه») rather than the complaint's common phrasing («جواب
 * نمیدن»), which naive Bayes weighs as much. Each example is an online update, so an operator's
 * choice is learnt at once; `fit` runs a few passes over a batch for the nightly retrain.
 */
export class SoftmaxClassifier {
  private readonly weights = new Map<string, Map<string, number>>();
  private readonly bias = new Map<string, number>();
  private seen = 0;

  constructor(
    private readonly rate = 1,
    private readonly l2 = 1e-5,
  ) {}

  get size(): number {
    return this.seen;
  }

  private vector(text: string): Map<string, number> {
    const raw = triageFeatures(text);
    let norm = 0;
    for (const [, tf] of raw) norm += Math.log1p(tf) ** 2;
    norm = Math.sqrt(norm) || 1;
    const out = new Map<string, number>();
    for (const [f, tf] of raw) out.set(f, Math.log1p(tf) / norm);
    return out;
  }

  private ensure(label: string): void {
    if (!this.weights.has(label)) {
      this.weights.set(label, new Map());
      this.bias.set(label, 0);
    }
  }

  private scores(x: Map<string, number>): Scored[] {
    const raw: [string, number][] = [];
    for (const [label, w] of this.weights) {
      let s = this.bias.get(label) ?? 0;
      for (const [f, v] of x) s += (w.get(f) ?? 0) * v;
      raw.push([label, s]);
    }
    if (raw.length === 0) return [];
    const top = Math.max(...raw.map(([, s]) => s));
    const total = raw.reduce((sum, [, s]) => sum + Math.exp(s - top), 0);
    return raw.map(([label, s]) => ({ label, probability: Math.exp(s - top) / total })).sort((a, b) => b.probability - a.probability);
  }

  /** One online update. */
  learn(text: string, label: string): void {
    this.seen++;
    this.ensure(label);
    this.update(this.vector(text), label);
  }

  private update(x: Map<string, number>, label: string): void {
    for (const { label: l, probability } of this.scores(x)) {
      const gradient = probability - (l === label ? 1 : 0);
      const w = this.weights.get(l)!;
      for (const [f, v] of x) {
        const old = w.get(f) ?? 0;
        w.set(f, old - this.rate * (gradient * v + this.l2 * old));
      }
      this.bias.set(l, (this.bias.get(l) ?? 0) - this.rate * gradient * 0.1);
    }
  }

  /** A batch fit: `epochs` passes in a seeded order. */
  fit(examples: { text: string; label: string }[], epochs = 10, random: () => number = Math.random): void {
    for (const e of examples) this.ensure(e.label);
    const vectors = examples.map((e) => ({ x: this.vector(e.text), label: e.label }));
    this.seen += examples.length;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = vectors.map((v) => [random(), v] as const).sort((a, b) => a[0] - b[0]);
      for (const [, v] of order) this.update(v.x, v.label);
    }
  }

  predict(text: string): Scored[] {
    return this.scores(this.vector(text));
  }
}
