import { getCategory } from '../agencies/catalogue-store.ts';
import { staffAttachmentIds } from '../attachments/store.ts';
import { AppError } from '../core/errors.ts';
import type { Queryable } from '../db/database.ts';
import type { LockedComplaint } from '../events/projection-store.ts';

/**
 * The evidence an answer carries (closure with evidence, after Singapore's OneService): files the
 * office uploaded to this complaint. A category marked "answer needs evidence" cannot be answered
 * without at least one; an id that is not a staff file of this complaint is refused outright, so
 * the chain never names a citizen's own photo or another complaint's file as the office's proof.
 */
export async function answerEvidence(tx: Queryable, complaint: LockedComplaint, evidenceIds: string[]): Promise<{ evidence?: string[] }> {
  const found = evidenceIds.length ? await staffAttachmentIds(tx, complaint.id, evidenceIds) : [];
  if (found.length !== evidenceIds.length) {
    throw new AppError('evidence_not_found', { evidenceIds: evidenceIds.filter((id) => !found.includes(id)) });
  }
  if (found.length === 0) {
    const category = complaint.categoryId === null ? null : await getCategory(tx, complaint.categoryId);
    if (category?.answerNeedsEvidence) throw new AppError('answer_needs_evidence', { categoryId: category.id });
    return {};
  }
  return { evidence: found };
}
