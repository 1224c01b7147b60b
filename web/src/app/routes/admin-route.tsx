import { AdminApp } from '../../features/admin/components/admin-app.tsx';

/** `/admin/*`: administration (admins only): policy, templates, webhooks, users, API keys. English-only. */
export function AdminRoute() {
  return <AdminApp />;
}
