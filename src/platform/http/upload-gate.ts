import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/**
 * At most `max` upload bodies are read into memory at once in this process; the rest wait before
 * their bodies are read (the socket holds them, not our heap), and give up with 503 after
 * `waitMs`. Forty concurrent 8 MB photos would otherwise take the server from about 160 MB to
 * almost 600 MB.
 */
export function gateUploads(scope: FastifyInstance, opts: { max: number; waitMs: number }): void {
  let active = 0;
  const waiting: (() => void)[] = [];
  const released = new WeakSet<object>();

  const release = (request: object) => {
    if (released.has(request)) return;
    released.add(request);
    active--;
    waiting.shift()?.();
  };

  scope.addHook('preParsing', async (request, reply, payload) => {
    if (active >= opts.max) {
      const admitted = await new Promise<boolean>((resolve) => {
        const go = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(go), 1);
          resolve(false);
        }, opts.waitMs);
        waiting.push(go);
      });
      if (!admitted) {
        throw new AppError(
          503,
          'uploads_busy',
          'Too many photos are being uploaded right now; try again in a moment.',
        );
      }
    }
    active++;
    // Released once the answer is out or the client went away (the response closes either way).
    reply.raw.once('close', () => release(request));
    return payload;
  });
}
