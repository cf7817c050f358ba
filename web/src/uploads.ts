import { ApiError, api, type Lang } from './api.ts';

export type { Attachment } from './api.ts';

/** How a person proves they may attach to a complaint: a staff session (cookie), the intake's key, or a citizen token. */
export type UploadProof = { kind: 'staff' } | { kind: 'intake'; idempotencyKey: string } | { kind: 'citizen'; code: string; token: string };

/**
 * Uploads files one request each (the server streams them and checks the type from the bytes),
 * and reports which failed, with the server's reason, so the person can try again.
 */
export async function uploadAttachments(complaintId: string, files: File[], proof: UploadProof, lang: Lang): Promise<{ done: number; failed: string[] }> {
  let done = 0;
  const failed: string[] = [];
  for (const file of files) {
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      if (proof.kind === 'citizen') await api(`/track/${proof.code}/attachments`, { body: form, token: proof.token });
      else
        await api(`/complaints/${complaintId}/attachments`, {
          body: form,
          ...(proof.kind === 'intake' ? { headers: { 'idempotency-key': proof.idempotencyKey } } : {}),
        });
      done++;
    } catch (error) {
      failed.push(error instanceof ApiError ? `${file.name} (${error.text(lang)})` : file.name);
    }
  }
  return { done, failed };
}
