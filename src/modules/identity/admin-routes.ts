import { Type } from 'typebox';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { IdentityService } from './service.ts';

const Role = Type.Enum(['admin', 'supervisor', 'agent', 'warehouse']);
const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  createdAt: Type.String(),
});
const KeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  hint: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  apiKey: Type.Optional(Type.String({ description: 'Shown only when created.' })),
});

/** Admin: the shop's staff, their roles, and its API keys. */
export function registerAdminRoutes(app: AppInstance, identity: IdentityService): void {
  app.get(
    '/api/v1/users',
    {
      config: access.admin,
      schema: {
        tags: ['admin'],
        summary: 'Staff users and their roles',
        response: { 200: Type.Object({ data: Type.Array(UserView) }), ...errorResponses(403) },
      },
    },
    async (request) => ({ data: await identity.listUsers(authOf(request).tenantId) }),
  );
  app.post(
    '/api/v1/users',
    {
      config: access.admin,
      schema: {
        tags: ['admin'],
        summary: 'Add a staff user',
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 320 }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            role: Role,
            password: Type.String({ minLength: 10, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserView, ...errorResponses(403, 409) },
      },
    },
    async (request, reply) => {
      const { tenantId } = authOf(request);
      try {
        const { id } = await identity.createUser(tenantId, request.body);
        return reply.code(201).send((await identity.listUsers(tenantId)).find((u) => u.id === id)!);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new AppError(409, 'email_taken', 'A user with this email already exists.');
        }
        throw e;
      }
    },
  );
  app.put(
    '/api/v1/users/:id',
    {
      config: access.admin,
      schema: {
        tags: ['admin'],
        summary: "Change a user's name or role (their sessions end when the role changes)",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), role: Type.Optional(Role) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: UserView, ...errorResponses(403, 404, 409) },
      },
    },
    async (request) => identity.updateUser(authOf(request).tenantId, request.params.id, request.body),
  );
  app.delete(
    '/api/v1/users/:id',
    {
      config: access.admin,
      schema: {
        tags: ['admin'],
        summary: 'Remove a staff user',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      await identity.removeUser(authOf(request).tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/api-keys',
    {
      config: access.admin,
      schema: {
        tags: ['admin'],
        summary: 'API keys (never the secret part)',
        response: { 200: Type.Object({ data: Type.Array(KeyView) }), ...errorResponses(403) },
      },
    },
    async (request) => ({ data: await identity.listApiKeys(authOf(request).tenantId) }),
  );
  app.post(
    '/api/v1/api-keys',
    {
      config: access.admin,
      schema: {
        tags: ['admin'],
        summary: 'Create an API key (shown once)',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 201: KeyView, ...errorResponses(403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await identity.createApiKey(authOf(request).tenantId, request.body.name)),
  );
  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: access.admin,
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key (at once)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await identity.revokeApiKey(authOf(request).tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
