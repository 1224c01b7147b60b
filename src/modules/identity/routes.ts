import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { readCookie, sessionCookie } from '../../platform/http/cookies.ts';
import { ErrorResponse, errorResponses } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf, SESSION_COOKIE } from '../../platform/http/server.ts';
import type { Sessions } from './sessions.ts';

const MeView = Type.Object({
  user: Type.Object({
    id: Type.String(),
    tenantId: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Type.String(),
  }),
  tenant: Type.Object({
    id: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    handle: Type.String({ description: "Names the shop's customer portal: /s/HANDLE/returns" }),
  }),
  csrfToken: Type.String({
    description: 'Echo it as X-CSRF-Token on every change made with the session cookie.',
  }),
  expiresAt: Type.String(),
});

export function registerAuthRoutes(
  app: AppInstance,
  deps: {
    sessions: Sessions;
    tenantOf: (
      tenantId: string,
    ) => Promise<{ id: string; name: string; kind: string; handle: string } | undefined>;
    sendPasswordReset: (tenantId: string, to: string, name: string, link: string) => Promise<void>;
    publicUrl: () => string;
    publicRateLimit: number;
  },
): void {
  const { sessions } = deps;
  const secure = () => deps.publicUrl().startsWith('https://');
  const limited = {
    public: true,
    rateLimit: { max: Math.min(deps.publicRateLimit, 30), timeWindow: '1 minute' },
  };

  async function me(
    user: { id: string; tenantId: string; email: string; name: string; role: string },
    csrfToken: string,
    expiresAt: string,
  ) {
    const tenant = await deps.tenantOf(user.tenantId);
    if (!tenant) throw new AppError(401, 'unauthenticated', 'Sign in again.');
    return { user, tenant, csrfToken, expiresAt };
  }

  app.post(
    '/api/v1/auth/login',
    {
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in: sets an http-only session cookie and answers the CSRF token',
        security: [],
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 320 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
            tenantId: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: MeView,
          400: ErrorResponse,
          401: ErrorResponse,
          409: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { id, session } = await sessions.login({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      reply.header(
        'set-cookie',
        sessionCookie(SESSION_COOKIE, id, {
          maxAgeSeconds: sessions.SESSION_TTL_MS / 1000,
          secure: secure(),
        }),
      );
      return me(session.user, session.csrfToken, session.expiresAt);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in (with the CSRF token)',
        security: [],
        response: { 200: MeView, 401: ErrorResponse },
      },
    },
    async (request) => {
      const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = cookie ? await sessions.resolve(cookie) : null;
      if (!session) throw new AppError(401, 'unauthenticated', 'Not signed in.');
      return me(session.user, session.csrfToken, session.expiresAt);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends the session everywhere it is used)',
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      authOf(request);
      const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (cookie) await sessions.logout(cookie);
      reply.header('set-cookie', sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: secure() }));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Email a password-reset link (answers the same whether or not the address is known)',
        security: [],
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 320 }),
            tenantId: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ message: Type.String() }), 400: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const reset = await sessions.requestPasswordReset(request.body.email, request.body.tenantId);
      if (reset) {
        const link = `${deps.publicUrl()}/console/reset-password?token=${encodeURIComponent(reset.token)}`;
        await deps.sendPasswordReset(reset.user.tenantId, reset.user.email, reset.user.name, link);
      }
      return reply
        .code(202)
        .send({ message: 'If the address belongs to an account, a reset link is on its way.' });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the emailed token; every session of that user ends',
        security: [],
        body: Type.Object(
          {
            token: Type.String({ minLength: 10, maxLength: 200 }),
            password: Type.String({ minLength: 10, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      await sessions.confirmPasswordReset(request.body.token, request.body.password);
      return reply.code(204).send(null);
    },
  );
}
