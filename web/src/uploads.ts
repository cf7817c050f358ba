import { ApiError, api, type SubmitReply } from './api.ts';

/**
 * Uploads a citizen's files to the complaint just filed, one request per file (streamed by the
 * server), and reports which failed so the person can try again from the tracking page.
 */
export async function uploadAttachments(reply: SubmitReply & { uploadToken?: string }, files: File[]): Promise<{ done: number; failed: string[] }> {
  let done = 0;
  const failed: string[] = [];
  for (const file of files) {
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      await api(`/complaints/${reply.trackingCode}/attachments`, { body: form, ...(reply.uploadToken ? { token: reply.uploadToken } : {}) });
      done++;
    } catch (error) {
      failed.push(error instanceof ApiError ? `${file.name} (${error.messages.fa})` : file.name);
    }
  }
  return { done, failed };
}
