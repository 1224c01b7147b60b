import http, { type IncomingHttpHeaders } from 'node:http';
import { WAIT_MS } from './budget.ts';

export type SseEvent = {
  id?: string;
  /** 'message' when the stream named none, as in the browser. */
  event: string;
  /** The data lines joined with '\n'. */
  data: string;
  /** `data` parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
};

export type SseClient = {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every event received so far, in order. */
  events: SseEvent[];
  /** Every comment line received so far (heartbeats), without the leading colon. */
  comments: string[];
  /** The last `retry:` value received. */
  retry?: number;
  /** Everything received, as text (for error bodies when the answer is not a stream); '' without keepEvents. */
  text: () => string;
  /**
   * The next event (after the last one `next` returned) that matches `predicate`, waiting for it
   * up to `timeoutMs`. Events received before the call count, so nothing is missed between awaits.
   */
  next: (predicate?: (e: SseEvent) => boolean, timeoutMs?: number) => Promise<SseEvent>;
  /** Resolves at the next comment line received after the call. */
  nextComment: (timeoutMs?: number) => Promise<string>;
  /** Resolves when the server ends or drops the stream. */
  closed: Promise<void>;
  close: () => void;
};

export type SseClientOptions = {
  /** Called for each event as it is parsed (benchmarks use it instead of polling `events`). */
  onEvent?: (e: SseEvent) => void;
  /** Keep `events` empty (benchmarks with thousands of clients). */
  keepEvents?: boolean;
};

/**
 * Opens an SSE stream over node:http and parses the wire format as a browser does: fields
 * `id`, `event`, `data` (several data lines joined by '\n'), `retry`; comment lines ignored for
 * events but recorded; CR, LF and CRLF line ends. Resolves once the response headers arrive.
 *
 * @example
 * const sse = await openSse(`${baseUrl}/api/v1/returns/${id}/events`, { authorization: `Bearer ${key}` });
 * const e = await sse.next((e) => e.event === 'return.updated');
 * sse.close();
 */
export function openSse(
  url: string,
  headers: Record<string, string> = {},
  options: SseClientOptions = {},
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const comments: string[] = [];
    const keepEvents = options.keepEvents ?? true;
    let raw = '';
    let buffer = '';
    let cursor = 0;
    let ended = false;
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => {
      closedResolve = r;
    });
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const w of [...waiters]) w();
    };

    // Per-event state, as in the HTML spec's "dispatch the event".
    let data: string[] = [];
    let eventType = '';
    let lastId: string | undefined;

    const client = {} as SseClient;

    function dispatch(): void {
      if (data.length === 0) {
        eventType = '';
        return;
      }
      const text = data.join('\n');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const e: SseEvent = { event: eventType || 'message', data: text, json };
      if (lastId !== undefined) e.id = lastId;
      data = [];
      eventType = '';
      if (keepEvents) events.push(e);
      options.onEvent?.(e);
    }

    function line(l: string): void {
      if (l === '') {
        dispatch();
        return;
      }
      if (l.startsWith(':')) {
        comments.push(l.slice(1).trimStart());
        return;
      }
      const colon = l.indexOf(':');
      const field = colon === -1 ? l : l.slice(0, colon);
      let value = colon === -1 ? '' : l.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') eventType = value;
      else if (field === 'id' && !value.includes('\0')) lastId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) client.retry = Number(value);
    }

    function feed(chunk: string): void {
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        // A CR at the end of the chunk may be half of a CRLF: wait for the next chunk.
        if (c === 13 && i === buffer.length - 1) break;
        line(buffer.slice(start, i));
        if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
    }

    const req = http.get(
      url,
      { headers: { accept: 'text/event-stream', ...headers }, agent: false },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (keepEvents) raw += chunk;
          feed(chunk);
          wake();
        });
        const finish = () => {
          if (ended) return;
          ended = true;
          closedResolve();
          wake();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
        Object.assign(client, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          comments,
          text: () => raw,
          closed,
          close: () => {
            req.destroy();
            finish();
          },
          next(predicate = () => true, timeoutMs = WAIT_MS) {
            return waitFor(timeoutMs, `event after #${cursor}`, () => {
              for (let i = cursor; i < events.length; i++) {
                if (predicate(events[i]!)) {
                  cursor = i + 1;
                  return events[i]!;
                }
              }
              return undefined;
            });
          },
          nextComment(timeoutMs = WAIT_MS) {
            const seen = comments.length;
            return waitFor(timeoutMs, 'comment', () => (comments.length > seen ? comments[seen] : undefined));
          },
        } satisfies Omit<SseClient, 'retry'>);
        resolve(client);
      },
    );
    req.on('error', (e) => {
      if (!client.status) reject(e);
    });

    function waitFor<T>(timeoutMs: number, what: string, check: () => T | undefined): Promise<T> {
      return new Promise((res, rej) => {
        const attempt = () => {
          const found = check();
          if (found !== undefined) {
            done();
            res(found);
          } else if (ended) {
            done();
            rej(new Error(`SSE stream closed while waiting for ${what}; got ${describe()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          rej(new Error(`no ${what} within ${timeoutMs} ms; got ${describe()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(attempt);
        };
        waiters.add(attempt);
        attempt();
      });
    }

    function describe(): string {
      return `${events.length} events: ${events
        .slice(-5)
        .map((e) => `${e.event} ${e.data.slice(0, 80)}`)
        .join(' | ')}`;
    }
  });
}
