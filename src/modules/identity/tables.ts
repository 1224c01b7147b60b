import type { Generated } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

export type TenantKind = 'merchant' | 'purchasing_agent';

export interface TenantsTable {
  id: string;
  name: string;
  /** Names the customer portal: `/s/HANDLE/returns` (set for every tenant since 0011). */
  handle: string;
  kind: TenantKind;
  rmaSeq: Generated<number>;
  createdAt: string;
}

export interface UsersTable {
  tenantId: string;
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent' | 'warehouse';
  passwordHash: string;
  createdAt: string;
}

export interface ApiKeysTable {
  tenantId: string;
  id: string;
  prefix: string;
  secretHash: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface SessionsTable {
  idHash: string;
  tenantId: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  userAgent: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  lockedUntil: string | null;
  updatedAt: string;
}

export interface PasswordResetsTable {
  tokenHash: string;
  tenantId: string;
  userId: string;
  expiresAt: string;
  usedAt: string | null;
  createdAt: string;
}

/** The tenants, their staff and how they sign in (snake_case in SQL, camelCase here). */
export type IdentityTables = {
  tenants: TenantsTable;
  users: UsersTable;
  apiKeys: ApiKeysTable;
  sessions: SessionsTable;
  loginThrottle: LoginThrottleTable;
  passwordResets: PasswordResetsTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = [
  'tenants',
  'users',
  'apiKeys',
  'sessions',
  'loginThrottle',
  'passwordResets',
] as const satisfies readonly (keyof Database)[];

// The identity tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends IdentityTables {}
}
