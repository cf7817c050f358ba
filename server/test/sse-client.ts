/** A minimal server-sent events reader for tests: collects messages and waits for one that matches. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export interface SseFeed {
  messages: SseMessage[];
  /** Resolves with the first message (already received or still to come) that matches. */
  next(match: (m: SseMessage) => boolean): Promise<SseMessage>;
  close(): void;
  lastId(): string | null;
}

export async function openFeed(url: string, headers: Record<string, string>): Promise<SseFeed> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  if (response.status !== 200) throw new Error(`feed answered ${response.status}: ${await response.text()}`);
  const messages: SseMessage[] = [];
  const waiters: { match: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
  let lastId: string | null = null;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const m: SseMessage = { id: null, event: 'message', data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(':');
            const text = rest.join(':').replace(/^ /, '');
            if (field === 'id') m.id = text;
            if (field === 'event') m.event = text;
            if (field === 'data') {
              m.data += text;
              hasData = true;
            }
          }
          if (!hasData) continue;
          if (m.id) lastId = m.id;
          messages.push(m);
          for (const w of [...waiters])
            if (w.match(m)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(m);
            }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    messages,
    next: (match) => {
      const seen = messages.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => abort.abort(),
    lastId: () => lastId,
  };
}

export const dataOf = (m: SseMessage) => JSON.parse(m.data) as Record<string, unknown>;
