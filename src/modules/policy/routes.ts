import { Type } from 'typebox';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { PolicySchema } from './policy-schema.ts';
import type { PolicyService } from './service.ts';

const PolicyVersionView = Type.Object({
  version: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  policy: PolicySchema,
});

export function registerPolicyRoutes(app: AppInstance, policies: PolicyService): void {
  app.get(
    '/api/v1/policy',
    {
      schema: {
        tags: ['policy'],
        summary: 'The current return policy',
        response: { 200: PolicyVersionView, ...errorResponses() },
      },
    },
    async (request) => policies.currentPolicy(authOf(request).tenantId),
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
      try {
        return await policies.publishPolicy(auth.tenantId, request.body, `${auth.actorType}:${auth.actorId}`);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new AppError(
            409,
            'policy_conflict',
            'Another policy version was published at the same moment; reload and try again.',
          );
        }
        throw e;
      }
    },
  );

  app.get(
    '/api/v1/policy/versions',
    {
      schema: {
        tags: ['policy'],
        summary: 'Every version of the policy, newest first',
        response: { 200: Type.Object({ data: Type.Array(PolicyVersionView) }), ...errorResponses() },
      },
    },
    async (request) => ({ data: await policies.listVersions(authOf(request).tenantId) }),
  );
}
