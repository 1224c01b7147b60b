import type { Clock } from '../../platform/clock.ts';
import { type Db, isUniqueViolation } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';

/** Variables a macro may use; each is filled from the return it is applied to. */
export const MACRO_VARIABLES = [
  'customerName',
  'rmaNumber',
  'orderNumber',
  'refundAmount',
  'status',
  'agentName',
] as const;
export const MACRO_ACTIONS = ['approve', 'reject'] as const;

/** Fills `{{variable}}` placeholders; unknown ones are refused when the macro is saved. */
export function renderMacro(body: string, vars: Record<string, string>): string {
  return body.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => vars[name] ?? '');
}

export function macroProblems(body: string): string[] {
  const unknown = [...body.matchAll(/\{\{\s*(\w+)\s*\}\}/g)]
    .map((m) => m[1]!)
    .filter((v) => !(MACRO_VARIABLES as readonly string[]).includes(v));
  const open = (body.match(/\{\{/g) ?? []).length;
  const close = (body.match(/\}\}/g) ?? []).length;
  return [...new Set(unknown)]
    .map((v) => `unknown variable {{${v}}}`)
    .concat(open !== close ? ['unbalanced braces'] : []);
}

/** Saved replies: an agent answers a common case in one step, optionally deciding it too. */
export function createMacros(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function save(
    tenantId: string,
    id: string | null,
    input: { name: string; body: string; action?: string | null },
  ) {
    const problems = macroProblems(input.body);
    if (problems.length)
      throw new AppError(422, 'invalid_macro', `The macro is not valid: ${problems[0]}.`, problems);
    const now = clock.now().toISOString();
    try {
      if (id) {
        const r = await db
          .updateTable('macros')
          .set({ name: input.name, body: input.body, action: input.action ?? null, updatedAt: now })
          .where('tenantId', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (r.numUpdatedRows === 0n) throw notFound('Macro');
        return (await findMacro(tenantId, id))!;
      }
      const created = newId('mac');
      await db
        .insertInto('macros')
        .values({
          tenantId,
          id: created,
          name: input.name,
          body: input.body,
          action: input.action ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      return (await findMacro(tenantId, created))!;
    } catch (e) {
      if (isUniqueViolation(e))
        throw new AppError(409, 'macro_name_taken', `A macro called "${input.name}" already exists.`);
      throw e;
    }
  }

  async function findMacro(tenantId: string, id: string) {
    return db
      .selectFrom('macros')
      .select(['id', 'name', 'body', 'action', 'createdAt', 'updatedAt'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  return {
    list: (tenantId: string) =>
      db
        .selectFrom('macros')
        .select(['id', 'name', 'body', 'action', 'createdAt', 'updatedAt'])
        .where('tenantId', '=', tenantId)
        .orderBy('name')
        .execute(),
    async get(tenantId: string, id: string) {
      const m = await findMacro(tenantId, id);
      if (!m) throw notFound('Macro');
      return m;
    },
    create: (tenantId: string, input: { name: string; body: string; action?: string | null }) =>
      save(tenantId, null, input),
    update: (tenantId: string, id: string, input: { name: string; body: string; action?: string | null }) =>
      save(tenantId, id, input),
    async remove(tenantId: string, id: string) {
      const r = await db
        .deleteFrom('macros')
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound('Macro');
    },
  };
}

export type Macros = ReturnType<typeof createMacros>;
