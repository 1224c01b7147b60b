import { PortalPage } from '../../features/portal/components/portal-page.tsx';

/** `/returns`: the customer return portal (find the order, choose, explain, review, confirm). */
export function ReturnsRoute() {
  return <PortalPage />;
}
