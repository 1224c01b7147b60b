import { timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchemaCompiler,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { prettyLogStream } from '../pretty-log-stream.ts';
import { readCookie } from './cookies.ts';
import { errorBody, installErrorHandler } from './error-handler.ts';
import { installIdempotency } from './idempotency.ts';
import { inputProblem, MAX_JSON_DEPTH } from './input-guard.ts';
import { validatorCompiler } from './validators.ts';

/** Who is calling: resolved once per request from the credentials it carries. */
export type Auth = {
  tenantId: string;
  actorType: 'api' | 'staff' | 'customer';
  actorId: string;
  role?: StaffRole;
};

export type StaffRole = 'admin' | 'supervisor' | 'agent' | 'warehouse';

/** A registered route as the authorization checks and their tests see it. */
export type RouteEntry = { method: string; url: string; public: boolean; roles: readonly StaffRole[] | null };

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyInstance {
    /** Every route registered so far, with who may call it (the authorization matrix reads it). */
    routeList: RouteEntry[];
  }
  interface FastifyContextConfig {
    /** Public routes skip authentication (tracking pages, health, docs). */
    public?: boolean;
    /**
     * Staff roles that may call the route (signed-in users). Tenant API keys are integrations
     * with full access and are not limited by it. Absent: every staff role.
     */
    roles?: readonly StaffRole[];
  }
}

export type HttpDeps = {
  config: Pick<Config, 'logLevel' | 'publicRateLimit' | 'publicUrl'> &
    Partial<Pick<Config, 'idempotencyStaleMs' | 'logFormat'>>;
  db: Db;
  /** Resolves a bearer token to the caller, or null when it is not a valid key. */
  authenticateApiKey: (token: string) => Promise<Auth | null>;
  /** Resolves a staff session cookie to the caller and its CSRF token, or null. */
  authenticateSession?: (cookie: string) => Promise<{ auth: Auth; csrfToken: string } | null>;
  /** Requests but the health check wait for it: `serve` listens while it seeds the demo. */
  holdRequestsUntil?: Promise<unknown>;
};

export const SESSION_COOKIE = 'rf_session';

/** The server type routes register on: TypeBox schemas give typed params, bodies and replies. */
export type AppInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const BODY_LIMIT = 1_048_576;

/** Fastify with the product's conventions: errors, validation, auth, idempotency, rate limits, OpenAPI. */
export async function createHttpServer(deps: HttpDeps): Promise<AppInstance> {
  const app = Fastify({
    logger:
      deps.config.logLevel === 'silent'
        ? false
        : {
            level: deps.config.logLevel,
            ...(deps.config.logFormat === 'pretty' ? { stream: prettyLogStream() } : {}),
          },
    bodyLimit: BODY_LIMIT,
    // Unsubscribe tokens carry tenant, customer and a signature (about 130 characters).
    routerOptions: { maxParamLength: 400 },
    trustProxy: false,
    // Response schemas are compiled on a route's first answer instead of all at start-up.
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
    return503OnClosing: true,
    forceCloseConnections: true,
    // A URL Fastify cannot decode (%ED%A0%80, a lone surrogate) never reaches a route: answer it
    // in our error shape too.
    frameworkErrors: (error, _request, reply) => {
      const code = error.code === 'FST_ERR_BAD_URL' ? 'bad_url' : 'bad_request';
      (reply as FastifyReply).code(400).send(errorBody(code, 'The URL cannot be read.'));
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as AppInstance;

  if (deps.holdRequestsUntil) holdRequests(app, deps.holdRequestsUntil);

  const routeList: RouteEntry[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide && !route.url.startsWith('/api/v1/')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeList.push({
        method,
        url: route.url,
        public: Boolean(route.config?.public),
        roles: route.config?.roles ?? null,
      });
    }
  });

  installSecurityHeaders(app, deps.config.publicUrl.startsWith('https://'));
  app.setValidatorCompiler(lazyValidatorCompiler);
  installErrorHandler(app);

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: {
        code: 'rate_limited',
        message: `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s.`,
      },
    }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Returnflow API',
        version: '1.0.0',
        description:
          'Returns, refunds and after-sales. Money is in integer minor units with an ISO-4217 currency. ' +
          'Errors answer `{"error": {"code", "message", "details"}}`. Every POST accepts an `Idempotency-Key` header.',
      },
      servers: [{ url: deps.config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key: rf_…' },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', logLevel: 'warn' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
    app.swagger(),
  );

  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const problem = inputProblem(value);
      if (!problem) continue;
      throw problem.code === 'json_too_deep'
        ? new AppError(400, problem.code, `JSON may nest at most ${MAX_JSON_DEPTH} levels deep.`, {
            in: part,
            path: problem.path,
          })
        : new AppError(
            400,
            problem.code,
            'Text may not contain NUL characters or unpaired UTF-16 surrogates.',
            { in: part, path: problem.path },
          );
    }
  });

  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    // The route's own pattern, not the URL as spelled: `/%61pi/v1/…` reaches the same route.
    if (!request.routeOptions.url?.startsWith('/api/v1/') || request.routeOptions.config?.public) return;
    request.auth = await authenticate(request, deps);
    const roles = request.routeOptions.config?.roles;
    if (request.auth.actorType === 'staff' && roles && !roles.includes(request.auth.role!)) {
      throw roles.length === 0
        ? new AppError(403, 'api_key_required', 'This is for integrations: call it with an API key.')
        : new AppError(403, 'forbidden', `This needs one of the roles: ${roles.join(', ')}.`);
    }
  });
  installIdempotency(app, deps.db, (req) => (req.auth ? `tenant:${req.auth.tenantId}` : `ip:${req.ip}`), {
    ...(deps.config.idempotencyStaleMs ? { staleMs: deps.config.idempotencyStaleMs } : {}),
  });

  app.get('/api/health', { schema: { hide: true }, config: { public: true } }, async () => ({
    status: 'ok',
  }));
  return app;
}

/**
 * The first hook of every request: until `until` settles, any request but the health check waits
 * for it, so that none sees a demo tenant half seeded; afterwards requests pass straight through.
 */
function holdRequests(app: AppInstance, until: Promise<unknown>) {
  let pending: Promise<unknown> | null = until.then(() => {
    pending = null;
  });
  // A failure is the caller's to report (`serve` exits); the requests held meanwhile answer 500.
  pending.catch(() => {});
  app.addHook('onRequest', (request, _reply, done) => {
    if (pending === null || request.url === '/api/health') return done();
    pending.then(() => done(), done);
  });
}

// Compiling every route's schemas (ajv for the requests, fast-json-stringify for the answers;
// GET routes twice, for their HEAD twin) took 0.45 s of each start and 15 MB of memory. Each is now
// compiled when its route first needs it, a few milliseconds once.
type Validate = ((data: unknown) => unknown) & { errors?: unknown };

const lazyValidatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  let compiled: Validate | undefined;
  const validate: Validate = (data) => {
    compiled ??= validatorCompiler(route) as Validate;
    const result = compiled(data);
    // Fastify reads a failed validation's errors from the function it was given.
    validate.errors = compiled.errors;
    return result;
  };
  return validate as ReturnType<FastifySchemaCompiler<unknown>>;
};

type SerializerFactory = (
  externalSchemas: unknown,
  options: unknown,
) => (route: unknown) => (data: unknown) => string;

// Fastify's own serializer compiler (a dependency of fastify's), with the options it would get.
const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
const defaultSerializerFactory = (
  fastifyRequire('@fastify/fast-json-stringify-compiler') as () => SerializerFactory
)();

const lazySerializerFactory: SerializerFactory = (externalSchemas, options) => {
  const compile = defaultSerializerFactory(externalSchemas, options);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data) => {
      serialize ??= compile(route);
      return serialize(data);
    };
  };
};

/**
 * Headers every answer gets whatever route made it: API answers (personal data, mostly) are
 * never cached or sniffed; no HTML page (the app, /u/:token, /api/docs) may be framed by another
 * site, or its buttons could be clickjacked; behind https, browsers are told to stay on https.
 */
function installSecurityHeaders(app: AppInstance, https: boolean) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.url.startsWith('/api/')) {
      reply.header('x-content-type-options', 'nosniff');
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    }
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('x-frame-options', 'DENY');
      const csp = reply.getHeader('content-security-policy');
      if (!csp) reply.header('content-security-policy', "frame-ancestors 'none'");
      else if (!String(csp).includes('frame-ancestors'))
        reply.header('content-security-policy', `${String(csp)}; frame-ancestors 'none'`);
    }
    return payload;
  });
}

async function authenticate(request: FastifyRequest, deps: HttpDeps): Promise<Auth> {
  const header = request.headers.authorization;
  if (header === undefined && deps.authenticateSession) {
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = cookie ? await deps.authenticateSession(cookie) : null;
    if (session) {
      // Cookies ride along on cross-site requests; a header a foreign page cannot read or set
      // (the token comes from /auth/me) proves the request came from our own pages.
      if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
          throw new AppError(
            403,
            'csrf_failed',
            'Send the X-CSRF-Token header from /api/v1/auth/me with changes.',
          );
        }
      }
      return session.auth;
    }
    throw new AppError(
      401,
      'unauthenticated',
      'Sign in, or send an API key as "Authorization: Bearer rf_…".',
    );
  }
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) {
    throw new AppError(401, 'unauthenticated', 'Send an API key as "Authorization: Bearer rf_…".');
  }
  const auth = await deps.authenticateApiKey(match[1]!);
  if (!auth) throw new AppError(401, 'unauthenticated', 'The API key is not valid or has been revoked.');
  return auth;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The caller of an authenticated route; routes that reach here always have one. */
export function authOf(request: FastifyRequest): Auth {
  if (!request.auth) throw new AppError(401, 'unauthenticated', 'Authentication required.');
  return request.auth;
}
