import { routeComplaint } from '../agencies/routing.ts';
import type { Unit } from '../agencies/store.ts';
import type { Database, Queryable } from '../db/database.ts';
import { loadCorpus } from './corpus.ts';
import { TriageModel } from './model.ts';
import { categoriesByCode, latestOperatorLabel, operatorLabels, organisationsByCode, type TriageCategory } from './store.ts';

export interface TriageSettings {
  /** A suggestion at or above this probability is offered as the choice (pre-filled); below, only listed. */
  triageConfidence: number;
}

export interface Suggestion {
  /** The likeliest organisations, best first (at most three). */
  organisations: { unit: Unit; probability: number }[];
  /** The office the top organisation would route to in the complaint's place (null without a place). */
  unit: Unit | null;
  categories: (TriageCategory & { probability: number })[];
  /** The top category's urgency: what the complaint's clock would be. */
  urgent: boolean | null;
  /** The top organisation's probability. */
  confidence: number;
  /** True when `confidence` reaches the configured threshold: the forms pre-fill it. Never routes by itself. */
  confident: boolean;
  /** Examples the model has learnt from (shipped texts and this deployment's operators). */
  examples: number;
}

/**
 * The deployment's triage: the model, trained lazily on first use (the shipped texts plus the
 * operators' referrals in the database), an online step for each new referral, and `retrain`
 * for the scheduled refit. Suggestions are advice: nothing here writes or routes.
 */
export class Triage {
  private model: Promise<TriageModel> | null = null;

  constructor(
    private readonly db: Database,
    private readonly settings: TriageSettings,
  ) {}

  private async build(): Promise<TriageModel> {
    const labels = await operatorLabels(this.db.pool);
    const shipped = loadCorpus().map((e) => ({ text: e.text, organisation: e.agency, category: e.category }));
    return TriageModel.train([...shipped, ...labels]);
  }

  /** The current model (trained on first call). */
  ready(): Promise<TriageModel> {
    this.model ??= this.build().catch((error: unknown) => {
      this.model = null;
      throw error;
    });
    return this.model;
  }

  /** A full refit from the shipped texts and every operator label (the nightly job). */
  async retrain(): Promise<TriageModel> {
    const next = await this.build();
    this.model = Promise.resolve(next);
    return next;
  }

  /** Learns the referral an operator just made on this complaint (in this instance at once; others at their refit). */
  async learnFrom(complaintId: string): Promise<void> {
    // Not trained yet: nothing to update — the first training reads this referral from the events.
    if (!this.model) return;
    const label = await latestOperatorLabel(this.db.pool, complaintId);
    if (label) (await this.model).learn(label);
  }

  /** Suggestions for a text, with the office in the given place. */
  async suggest(db: Queryable, text: string, place: { provinceId: number | null; countyId: number | null }): Promise<Suggestion> {
    const model = await this.ready();
    const guess = model.guess(text);
    const orgs = await organisationsByCode(
      db,
      guess.organisations.slice(0, 6).map((g) => g.label),
    );
    const organisations = guess.organisations
      .flatMap((g) => {
        const unit = orgs.find((o) => o.code === g.label);
        return unit ? [{ unit, probability: g.probability }] : [];
      })
      .slice(0, 3);
    const cats = await categoriesByCode(
      db,
      guess.categories.slice(0, 6).map((g) => g.label),
    );
    const categories = guess.categories
      .flatMap((g) => {
        const category = cats.find((c) => c.code === g.label);
        return category ? [{ ...category, probability: g.probability }] : [];
      })
      .slice(0, 3);
    const top = organisations[0];
    const unit = top && place.provinceId !== null ? await routeComplaint(db, top.unit, place.provinceId, place.countyId) : null;
    const confidence = top?.probability ?? 0;
    return {
      organisations,
      unit,
      categories,
      urgent: categories[0]?.urgent ?? null,
      confidence,
      confident: confidence >= this.settings.triageConfidence,
      examples: model.size,
    };
  }
}
