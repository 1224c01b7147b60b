import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from '../src/platform/config.ts';
import type { StatementCounts } from './statement-counter.ts';
import type { OutboxState } from './target.ts';
import type { CallMessage, Op, ReplyMessage, StartMessage, TargetInfo } from './target-server.ts';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Starts the app under test in its own process (target-server.ts) with its stdout, the
 * production request log, written to a temp file. Flags given to the bench (e.g. --cpu-prof)
 * are passed on, so they profile the server.
 */
export async function startTargetProcess(
  config: DatabaseConfig,
  opts: { orderCount: number; trackedReturns: number },
) {
  const logDir = mkdtempSync(join(tmpdir(), 'returnflow-bench-log-'));
  const logFile = join(logDir, 'requests.jsonl');
  const logFd = openSync(logFile, 'w');
  const child: ChildProcess = fork(join(here, '..', 'bin', 'run-ts.js'), [join(here, 'target-server.ts')], {
    execArgv: process.execArgv,
    stdio: ['ignore', logFd, 'inherit', 'ipc'],
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const info = await new Promise<TargetInfo>((resolve, reject) => {
    const onMessage = (m: ReplyMessage) => {
      if (m.type === 'ready') resolve(m.info);
      else if (m.type === 'failed') reject(new Error(`target failed to start: ${m.message}`));
      else return;
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
    void exited.then((code) => reject(new Error(`target exited early (${code})`)));
    child.send({ type: 'start', config, ...opts } satisfies StartMessage);
  });

  let nextId = 1;
  function call<T>(op: Op, arg?: number): Promise<T> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (m: ReplyMessage) => {
        if (m.type !== 'reply' || m.id !== id) return;
        child.off('message', onMessage);
        if (m.error) reject(new Error(`target ${op}: ${m.error}`));
        else resolve(m.value as T);
      };
      child.on('message', onMessage);
      child.send({ type: 'call', id, op, ...(arg === undefined ? {} : { arg }) } satisfies CallMessage);
    });
  }

  return {
    ...info,
    counts: () => call<StatementCounts>('counts'),
    outboxState: () => call<OutboxState>('outboxState'),
    /** True once no outbox row is pending and due; false after `timeoutMs`. */
    waitForOutbox: (timeoutMs: number) => call<boolean>('waitForOutbox', timeoutMs),
    memory: () => call<{ rss: number; peakRss: number }>('memory'),
    countReturns: () => call<number>('countReturns'),
    /** Bytes of the request log so far: proof that logging was on, and what it writes. */
    requestLogBytes: () => statSync(logFile).size,
    async close() {
      if (child.exitCode === null) {
        await call('close').catch(() => {});
        const timer = setTimeout(() => child.kill(), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

export type TargetProcess = Awaited<ReturnType<typeof startTargetProcess>>;
