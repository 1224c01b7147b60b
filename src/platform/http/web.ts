import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export type WebOptions = {
  /** The Vite build output: `index.html` plus hashed files under `assets/`. */
  distDir: string;
};

// Tracking links carry their token in the path: no referrer may take it to another site.
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Mantine writes its CSS variables into a <style> element, hence 'unsafe-inline' for styles
  // only; scripts come from our own origin and nowhere else.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; " +
    "frame-ancestors 'none'",
};

/** Prefixes the SPA never answers: the API keeps its JSON 404, unsubscribe pages are server-rendered. */
const NOT_THE_APP = /^\/(api|u)(\/|$)/;

/**
 * Serves the built web app, precompressed: hashed assets cached for a year, and `index.html` for every other
 * GET that is not an API path, so client routes (`/t/:token`, `/console`, …) survive a reload.
 */
export async function registerWeb(app: FastifyInstance, opts: WebOptions): Promise<void> {
  const indexFile = join(opts.distDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`registerWeb: ${indexFile} does not exist; build the web app`);

  await app.register(fastifyStatic, {
    root: opts.distDir,
    prefix: '/',
    // One route per file, found at start-up: an unknown path falls through to the handler below
    // instead of a static 404, and no request ever touches the disk for a file that is not there.
    wildcard: false,
    index: false,
    decorateReply: true,
    // bin/build-web.js writes NAME.br and NAME.gz beside each text file: sent as they are to a
    // client that accepts them (brotli first), with `Vary: Accept-Encoding`; the file otherwise.
    preCompressed: true,
    setHeaders(reply, path) {
      // Vite puts a content hash in every file name under assets/: a changed file has a new name.
      const hashed = /[\\/]assets[\\/]/.test(path);
      reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      reply.header('x-content-type-options', 'nosniff');
    },
  });

  const sendIndex = (reply: FastifyReply) => reply.headers(PAGE_HEADERS).sendFile('index.html');

  app.get('/', { schema: { hide: true }, config: { public: true } }, (_request, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true }, config: { public: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A missing hashed asset (an old page after a deploy) must fail as a 404, not load HTML as JS.
    if (NOT_THE_APP.test(path) || path.startsWith('/assets/')) return reply.callNotFound();
    return sendIndex(reply);
  });
}
