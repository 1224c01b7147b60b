import { AdminApp } from '../../features/admin/components/admin-app.tsx';

/** `/admin/*`: administration (admins only): the return policy. English-only: staff pages. */
export function AdminRoute() {
  return <AdminApp />;
}
