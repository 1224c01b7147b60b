import { type Translate, tOr } from '../../../lib/i18n/i18n-provider.tsx';

/** A staff role in the reader's language; a role the API adds later shows as its code. */
export function roleLabel(t: Translate, role: string): string {
  return tOr(t, `admin.role.${role}`, role);
}
