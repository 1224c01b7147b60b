import type { StaffRole } from './server.ts';

/**
 * Who may call a route, by staff role; tenant API keys are integrations with full access and are
 * not limited by it. The matrix in prose is docs/security.md; test/authorization-matrix.test.ts
 * checks every registered route against it.
 */
export const access = {
  /** Settings, users, API keys, webhooks, templates, providers, policy changes. */
  admin: { roles: ['admin'] },
  /** Team leads: reports and exports, money corrections, shared macros, delivery logs. */
  leads: { roles: ['admin', 'supervisor'] },
  /** Whoever decides cases and talks to customers: agents and above. */
  desk: { roles: ['admin', 'supervisor', 'agent'] },
  /** Parcels, line stages and QC: the warehouse and its leads. */
  warehouse: { roles: ['admin', 'supervisor', 'warehouse'] },
  /** Every signed-in staff role. */
  staff: { roles: ['admin', 'supervisor', 'agent', 'warehouse'] },
  /** Integrations only (API keys): staff sessions are refused. */
  integrations: { roles: [] },
} as const satisfies Record<string, { roles: readonly StaffRole[] }>;
