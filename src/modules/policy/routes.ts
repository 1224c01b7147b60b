import { readFile } from 'node:fs/promises';
import { Type } from 'typebox';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { PolicySchema } from './policy-schema.ts';
import type { PolicyService, PolicyVersion } from './service.ts';

const PublisherView = Type.Object(
  {
    type: Type.Union([Type.Literal('staff'), Type.Literal('api'), Type.Literal('system')]),
    id: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()], {
      description: "The staff member's or API key's name; null once they are removed, and for the system.",
    }),
  },
  { description: 'Who published the version: a staff member, an API key, or the system (version 1).' },
);

const PolicyVersionView = Type.Object({
  version: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  publishedBy: PublisherView,
  policy: PolicySchema,
});

type Publisher = { type: 'staff' | 'api' | 'system'; id: string | null; name: string | null };

export type PolicyRouteDeps = {
  /** The name of a staff member (`staff`) or API key (`api`) of the tenant, null when unknown. */
  actorName: (tenantId: string, actor: { type: 'staff' | 'api'; id: string }) => Promise<string | null>;
};

/** Where the policy guide lives in the source tree; the editor links to it. */
const GUIDE = new URL('../../../docs/policy.md', import.meta.url);

export function registerPolicyRoutes(app: AppInstance, policies: PolicyService, deps: PolicyRouteDeps): void {
  /** `createdBy` is "staff:<id>", "api:<id>" or "system"; names are looked up once per publisher. */
  async function withPublishers(tenantId: string, versions: PolicyVersion[]) {
    const names = new Map<string, Promise<Publisher>>();
    const publisherOf = (createdBy: string): Promise<Publisher> => {
      let p = names.get(createdBy);
      if (!p) {
        const [type, ...rest] = createdBy.split(':');
        const id = rest.join(':');
        p =
          (type === 'staff' || type === 'api') && id
            ? deps.actorName(tenantId, { type, id }).then((name) => ({ type, id, name }))
            : Promise.resolve({ type: 'system' as const, id: null, name: null });
        names.set(createdBy, p);
      }
      return p;
    };
    return Promise.all(versions.map(async (v) => ({ ...v, publishedBy: await publisherOf(v.createdBy) })));
  }
  const one = async (tenantId: string, v: PolicyVersion) => (await withPublishers(tenantId, [v]))[0]!;
  const conflictOnRace = (e: unknown): never => {
    if (isUniqueViolation(e)) {
      throw new AppError(
        409,
        'policy_conflict',
        'Another policy version was published at the same moment; reload and try again.',
      );
    }
    throw e;
  };

  app.get(
    '/api/v1/policy',
    {
      schema: {
        tags: ['policy'],
        summary: 'The current return policy',
        response: { 200: PolicyVersionView, ...errorResponses() },
      },
    },
    async (request) => {
      const { tenantId } = authOf(request);
      return one(tenantId, await policies.currentPolicy(tenantId));
    },
  );

  app.put(
    '/api/v1/policy',
    {
      config: access.admin,
      schema: {
        tags: ['policy'],
        summary: 'Publish a new policy version',
        description:
          'Validates the whole document and stores it as the next version; earlier versions are kept and returns remember the version that decided them. See docs/policy.md for the rule language.',
        body: PolicySchema,
        response: { 200: PolicyVersionView, ...errorResponses(409, 422) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const v = await policies
        .publishPolicy(auth.tenantId, request.body, `${auth.actorType}:${auth.actorId}`)
        .catch(conflictOnRace);
      return one(auth.tenantId, v);
    },
  );

  app.get(
    '/api/v1/policy/versions',
    {
      schema: {
        tags: ['policy'],
        summary: 'Every version of the policy, newest first, with who published it',
        response: { 200: Type.Object({ data: Type.Array(PolicyVersionView) }), ...errorResponses() },
      },
    },
    async (request) => {
      const { tenantId } = authOf(request);
      return { data: await withPublishers(tenantId, await policies.listVersions(tenantId)) };
    },
  );

  app.post(
    '/api/v1/policy/versions/:version/rollback',
    {
      config: access.admin,
      schema: {
        tags: ['policy'],
        summary: 'Publish an earlier version again, as a new version',
        description:
          'Copies the document of `version` into the next version; no version is changed or removed. ' +
          'Preview the old document with POST /api/v1/policy/preview first. 422 when the old document ' +
          'does not pass the checks of today.',
        params: Type.Object({ version: Type.Integer({ minimum: 1 }) }),
        response: { 200: PolicyVersionView, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const v = await policies
        .rollBackPolicy(auth.tenantId, request.params.version, `${auth.actorType}:${auth.actorId}`)
        .catch(conflictOnRace);
      return one(auth.tenantId, v);
    },
  );

  app.get(
    '/api/v1/policy/guide',
    {
      schema: {
        tags: ['policy'],
        summary: 'The policy guide (docs/policy.md): every field and the rule language, as Markdown text',
        response: { 200: Type.String(), ...errorResponses() },
      },
    },
    async (_request, reply) => {
      // text/plain so the browser shows it in the tab the editor's link opens, not as a download.
      reply.header('content-type', 'text/plain; charset=utf-8');
      return readFile(GUIDE, 'utf8');
    },
  );
}
