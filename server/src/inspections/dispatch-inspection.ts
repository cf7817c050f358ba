import { getUnitInScope } from '../agencies/store.ts';
import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database, Queryable } from '../db/database.ts';
import { compactTrackingCode, parseTrackingCode, trackingCodeText } from '../domain/tracking-code.ts';
import { enqueue } from '../notifications/outbox.ts';
import { newSeed, pickIndex } from './random-pick.ts';
import { complaintsByCodeInScope, complaintsInScope, eligibleInspector, findInspection, type Inspection, insertInspection, randomCandidates } from './store.ts';

export type DispatchInput =
  /** A cluster of complaints about one office (the office is where they all are now, or the one given). */
  | {
      reason: 'cluster';
      /** The complaints by tracking code, in whatever spelling staff typed them (the form's way). */
      trackingCodes?: string[] | undefined;
      complaintIds?: string[] | undefined;
      unitId?: number | undefined;
      inspectorId: number;
      note?: string | undefined;
    }
  /** A random office among the dispatcher's active county offices and directorates, drawn from a recorded seed. */
  | { reason: 'random'; seed?: string | undefined; inspectorId: number; note?: string | undefined };

/**
 * The complaints behind typed tracking codes, in the user's scope. The first code that is not a
 * valid code, or is not found, or is outside the scope (the same answer: scope is not disclosed)
 * is named in the error, in the reader's digits.
 */
async function byTrackingCodes(tx: Queryable, user: StaffPrincipal, typed: string[]): Promise<{ id: string; unitId: number | null }[]> {
  const codes = typed.map((t) => ({ typed: t, code: parseTrackingCode(t) }));
  const found = await complaintsByCodeInScope(
    tx,
    user,
    codes.flatMap((c) => (c.code ? [c.code] : [])),
  );
  for (const c of codes) {
    if (c.code && found.some((f) => f.trackingCode === c.code)) continue;
    const shown = c.code ?? compactTrackingCode(c.typed).slice(0, 20);
    const grouped = /^\d+$/.test(shown) ? { fa: trackingCodeText(shown, 'fa'), en: trackingCodeText(shown, 'en') } : c.typed.slice(0, 20);
    throw new AppError('inspection_code_not_found', { trackingCode: grouped });
  }
  return found.map(({ id, unitId }) => ({ id, unitId }));
}

/**
 * The provincial group (or the national centre) sends an inspector to an office in its scope.
 * The inspector is told through the outbox in the same transaction.
 */
export async function dispatchInspection(db: Database, user: StaffPrincipal, input: DispatchInput, now: Date): Promise<Inspection> {
  return db.transaction(async (tx) => {
    let unitId: number;
    let complaintIds: string[] = [];
    let seed: string | null = null;
    let candidates: number | null = null;
    if (input.reason === 'cluster') {
      const found = input.trackingCodes?.length ? await byTrackingCodes(tx, user, input.trackingCodes) : [];
      if (input.complaintIds?.length) {
        const ids = [...new Set(input.complaintIds)];
        const byId = await complaintsInScope(tx, user, ids);
        if (byId.length !== ids.length) throw new AppError('invalid_inspection_target', { reason: 'a complaint is not found or not in your scope' });
        found.push(...byId.filter((c) => !found.some((f) => f.id === c.id)));
      }
      if (!found.length) throw new AppError('invalid_inspection_target', { reason: 'name at least one complaint' });
      complaintIds = found.map((c) => c.id);
      const units = new Set(found.map((c) => c.unitId));
      if (input.unitId === undefined && (units.size !== 1 || found[0]!.unitId === null)) {
        throw new AppError('invalid_inspection_target', { reason: 'the complaints are not all at one office: name the office' });
      }
      unitId = input.unitId ?? found[0]!.unitId!;
    } else {
      const pool = await randomCandidates(tx, user, user.provinceId);
      if (pool.length === 0) throw new AppError('invalid_inspection_target', { reason: 'no office in scope to draw from' });
      seed = input.seed ?? newSeed();
      candidates = pool.length;
      unitId = pool[pickIndex(seed, pool.length)]!;
    }
    const unit = await getUnitInScope(tx, unitId, user);
    if (!unit?.active) throw new AppError('invalid_inspection_target', { reason: 'the office is not found or not in your scope' });
    if (!(await eligibleInspector(tx, input.inspectorId, unit.provinceId))) throw new AppError('invalid_inspector');
    const id = await insertInspection(tx, {
      unit,
      inspectorId: input.inspectorId,
      dispatchedBy: user.id,
      reason: input.reason,
      randomSeed: seed,
      candidates,
      note: input.note ?? null,
      complaintIds,
      now,
    });
    await enqueue(
      tx,
      [
        {
          complaintId: null,
          eventSeq: null,
          template: 'inspection_assigned',
          channel: 'web',
          recipientUserId: input.inspectorId,
          recipientAddress: null,
          language: 'fa',
          body: `بازرسی میدانی شمارهٔ ${id} از «${unit.nameFa}» به شما سپرده شد${complaintIds.length ? ` (${complaintIds.length} شکایت)` : ' (انتخاب تصادفی)'}.`,
          smsParts: null,
          deliveryKey: `inspection:${id}:assigned`,
        },
      ],
      now,
    );
    return (await findInspection(tx, id, user, { readScope: true }))!;
  });
}
