import { ComingSoon } from '../../components/coming-soon.tsx';

/** `/admin`: policy, templates, users, keys (next slice). */
export function AdminRoute() {
  return <ComingSoon title="soon.admin.title" body="soon.admin.body" />;
}
