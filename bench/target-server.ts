/**
 * The app under test in a process of its own (forked by target-process.ts). Two reasons: its
 * request log is on, as in production (pino JSON lines on stdout, which the parent points at a
 * file instead of the bench's own output), and its memory is its own to measure. The parent
 * drives it over IPC: counters, the outbox, memory, close.
 */
import type { DatabaseConfig } from '../src/platform/config.ts';
import { createStatementCounter } from './statement-counter.ts';
import { startTarget, type Target } from './target.ts';

export type StartMessage = {
  type: 'start';
  config: DatabaseConfig;
  orderCount: number;
  trackedReturns: number;
};

export type TargetInfo = Pick<
  Target,
  | 'baseUrl'
  | 'apiKey'
  | 'tenantId'
  | 'sessionCookie'
  | 'returnBodies'
  | 'trackingTokens'
  | 'trackingPaths'
  | 'caseIds'
> & { pid: number };

export type Op = 'counts' | 'outboxState' | 'waitForOutbox' | 'memory' | 'countReturns' | 'close';
export type CallMessage = { type: 'call'; id: number; op: Op; arg?: number };
export type ReplyMessage =
  | { type: 'ready'; info: TargetInfo }
  | { type: 'failed'; message: string }
  | { type: 'reply'; id: number; value?: unknown; error?: string };

const counter = createStatementCounter();
let target: Target | null = null;
let closing = false;

function send(m: ReplyMessage) {
  process.send?.(m);
}

/** Memory of this process: resident now, and the peak (Linux reports maxRSS in KiB). */
function memory() {
  return { rss: process.memoryUsage().rss, peakRss: process.resourceUsage().maxRSS * 1024 };
}

async function answer(t: Target, m: CallMessage): Promise<unknown> {
  switch (m.op) {
    case 'counts':
      return counter.settled();
    case 'outboxState':
      return t.outboxState();
    case 'waitForOutbox':
      return t.waitForOutbox(m.arg ?? 60_000);
    case 'memory':
      return memory();
    case 'countReturns':
      return t.countReturns();
    case 'close':
      closing = true;
      await t.close();
      await t.handle.close();
      return null;
  }
}

// A bench that died (Ctrl-C, a crash) must not leave its server behind.
process.on('disconnect', () => {
  if (!closing) process.exit(0);
});

process.on('message', (m: StartMessage | CallMessage) => {
  if (m.type === 'start') {
    startTarget(m.config, {
      orderCount: m.orderCount,
      trackedReturns: m.trackedReturns,
      counter,
      requestLog: true,
    }).then(
      (t) => {
        target = t;
        const { baseUrl, apiKey, tenantId, sessionCookie, returnBodies, trackingTokens, trackingPaths } = t;
        send({
          type: 'ready',
          info: {
            pid: process.pid,
            baseUrl,
            apiKey,
            tenantId,
            sessionCookie,
            returnBodies,
            trackingTokens,
            trackingPaths,
            caseIds: t.caseIds,
          },
        });
      },
      (e: Error) => send({ type: 'failed', message: e.stack ?? e.message }),
    );
    return;
  }
  const t = target;
  if (!t) {
    send({ type: 'reply', id: m.id, error: 'not started' });
    return;
  }
  answer(t, m).then(
    (value) => {
      send({ type: 'reply', id: m.id, value });
      if (m.op === 'close') process.disconnect();
    },
    (e: Error) => send({ type: 'reply', id: m.id, error: e.message }),
  );
});
