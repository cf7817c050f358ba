import { seededRandom } from '../domain/seeded-random.ts';
import { type Scored, SoftmaxClassifier } from './softmax.ts';

/** A complaint text with what a person decided it is about: the organisation's and the category's codes. */
export interface TriageExample {
  text: string;
  /** The organisation (ministry or affiliated organisation unit) code, e.g. TAVANIR. */
  organisation: string;
  /** The category code, e.g. absent_at_desk; null when the operator left the category as it was. */
  category: string | null;
}

export interface TriageGuess {
  organisations: Scored[];
  categories: Scored[];
}

/**
 * The two triage models (organisation, category) of one deployment. Trained at start from the
 * texts shipped with Foad plus every referral the deployment's operators made from the triage
 * queue; each new referral is learnt at once (one online step), and the whole model is refitted
 * from the database on a schedule so every instance converges on the same operators' choices.
 */
export class TriageModel {
  private organisation = new SoftmaxClassifier();
  private category = new SoftmaxClassifier();
  private examples = 0;

  /** Examples the model has seen (shipped texts and operators' labels). */
  get size(): number {
    return this.examples;
  }

  /** A fresh fit over all examples, in a seeded order so every instance builds the same model. */
  static train(examples: TriageExample[], seed = 128): TriageModel {
    const model = new TriageModel();
    model.organisation.fit(
      examples.map((e) => ({ text: e.text, label: e.organisation })),
      10,
      seededRandom(seed),
    );
    model.category.fit(
      examples.filter((e) => e.category !== null).map((e) => ({ text: e.text, label: e.category! })),
      10,
      seededRandom(seed + 1),
    );
    model.examples = examples.length;
    return model;
  }

  /** One operator's choice, learnt at once. */
  learn(example: TriageExample): void {
    this.organisation.learn(example.text, example.organisation);
    if (example.category !== null) this.category.learn(example.text, example.category);
    this.examples++;
  }

  guess(text: string): TriageGuess {
    return { organisations: this.organisation.predict(text), categories: this.category.predict(text) };
  }
}
