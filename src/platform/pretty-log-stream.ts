/**
 * Pino's JSON lines, for a person at a terminal: one short line per request (method, path, status,
 * milliseconds) and the other messages with their time and level. Production and CI keep the JSON
 * (LOG_FORMAT=json, the default when stdout is not a terminal); this is for `npm start` on a
 * laptop. A formatter of our own rather than pino-pretty: it is 80 lines and needs no worker thread.
 */

type Sink = { write: (text: string) => unknown };

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Pino's own fields and Fastify's request bindings, shown in the line itself or not at all. */
const KNOWN = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'reqId',
  'req',
  'res',
  'responseTime',
  'err',
  'v',
]);
/** Requests whose start was seen and whose end was not yet; bounded so aborted ones cannot pile up. */
const MAX_OPEN = 1000;

type Line = {
  level?: number;
  time?: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string };
  [key: string]: unknown;
};

function clock(time: number | undefined): string {
  const d = time === undefined ? new Date() : new Date(time);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function extras(line: Line): string {
  const parts = Object.entries(line)
    .filter(([k]) => !KNOWN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? `  ${parts.join(' ')}` : '';
}

/** A writable for pino (`{ stream }`) that writes readable lines to `out`. */
export function prettyLogStream(out: Sink = process.stdout) {
  const open = new Map<string, { method: string; url: string }>();

  function format(line: Line): string | null {
    const at = clock(line.time);
    if (line.msg === 'incoming request' && line.reqId && line.req) {
      if (open.size >= MAX_OPEN) open.delete(open.keys().next().value!);
      open.set(line.reqId, { method: line.req.method ?? '?', url: line.req.url ?? '?' });
      return null;
    }
    if (line.msg === 'request completed' && line.reqId) {
      const started = open.get(line.reqId);
      open.delete(line.reqId);
      const ms = typeof line.responseTime === 'number' ? `${line.responseTime.toFixed(1)} ms` : '';
      const what = started ? `${started.method} ${started.url}` : `request ${line.reqId}`;
      return `${at} ${what} ${line.res?.statusCode ?? '?'} ${ms}`.trimEnd();
    }
    const level = LEVELS[line.level ?? 30] ?? String(line.level);
    const head = `${at} ${level === 'INFO' ? '' : `${level} `}${line.msg ?? ''}${extras(line)}`;
    if (!line.err) return head;
    // Errors keep their stack: this is where a developer looks first.
    const detail = line.err.stack ?? line.err.message ?? JSON.stringify(line.err);
    return `${head}\n  ${detail.split('\n').join('\n  ')}`;
  }

  return {
    write(chunk: string) {
      for (const raw of chunk.split('\n')) {
        if (!raw.trim()) continue;
        let parsed: Line;
        try {
          parsed = JSON.parse(raw) as Line;
        } catch {
          out.write(`${raw}\n`); // not pino's: as it came
          continue;
        }
        const text = format(parsed);
        if (text !== null) out.write(`${text}\n`);
      }
    },
  };
}

/** `pretty` when LOG_FORMAT says so, or when it is unset and stdout is a terminal; `json` otherwise. */
export function chooseLogFormat(setting: string | undefined, stdoutIsTty: boolean): 'pretty' | 'json' {
  if (setting === 'pretty' || setting === 'json') return setting;
  return stdoutIsTty ? 'pretty' : 'json';
}
