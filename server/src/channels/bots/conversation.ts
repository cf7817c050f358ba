import { randomBytes } from 'node:crypto';
import type { Api, Context, SessionFlavor } from 'grammy';
import type { County, Province } from '../../agencies/store.ts';
import type { AttachmentSettings } from '../../attachments/add-attachment.ts';
import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../db/database.ts';

export type BotChannel = 'telegram' | 'bale';

/** The conversation's steps, in the order the citizen walks them. */
export type Step = 'idle' | 'agency' | 'province' | 'county' | 'category' | 'description' | 'employee' | 'location' | 'phone' | 'confirm';

export interface Named {
  id: number;
  name: string;
}

/** What the citizen has told the bot so far. */
export interface Draft {
  agency?: Named;
  province?: Named;
  county?: Named;
  /** null: the citizen did not know the category */
  category?: (Named & { urgent: boolean }) | null;
  description?: string;
  /** The employee the citizen names, as typed; null: they skipped the question. */
  namedEmployee?: string | null;
  /** `<kind>:<file_id>` of the photos, videos and voice notes sent; fetched and stored as attachments once the complaint is filed. */
  attachments: string[];
  /** null: the citizen chose to give no location */
  location?: { lat: number; lng: number } | null;
  /** E.164, from the citizen's own shared contact */
  phone?: string;
  /** The citizen agrees that the agency may see their name and phone (consent-step.ts; default no). */
  shareIdentity?: boolean;
}

/** One chat's conversation, kept in the session storage. */
export interface BotSession {
  step: Step;
  /**
   * The current form's random id. Every inline button carries it, so a button from an older
   * form does nothing, and it makes the idempotency key: however often the confirmation
   * arrives (a redelivered update, a second press), one form files one complaint.
   */
  form: string;
  draft: Draft;
  /** The last form filed from this chat, to answer a repeated confirmation with the same code. */
  filed?: { form: string; trackingCode: string } | undefined;
  /** The last update handled in this chat: one the messenger delivers again is ignored (update ids only grow). */
  lastUpdateId?: number | undefined;
}

export type BotContext = Context & SessionFlavor<BotSession>;

/** What every step of the conversation may use: built once in createComplaintBot. */
export interface BotDeps {
  db: Database;
  channel: BotChannel;
  token: string;
  apiRoot: string;
  api: Api;
  settings: { publicUrl: string; caseJoinHours?: number | undefined; clock?: Clock | undefined; secret?: string | undefined };
  /** Where the files citizens send are stored; undefined: files are only noted by id. */
  attachments: AttachmentSettings | undefined;
  onError: (error: unknown) => void;
  /** The provinces with their counties (cached for a few minutes). */
  provinces: () => Promise<(Province & { counties: County[] })[]>;
}

function newForm(): string {
  return randomBytes(4).toString('hex');
}

/** A new, empty conversation; the last filed form is kept to answer a repeated confirmation. */
export function freshSession(previous?: BotSession): BotSession {
  return { step: 'idle', form: newForm(), draft: { attachments: [] }, filed: previous?.filed, lastUpdateId: previous?.lastUpdateId };
}
