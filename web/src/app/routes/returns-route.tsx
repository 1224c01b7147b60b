import { useParams } from 'react-router';
import { PortalPage } from '../../features/portal/components/portal-page.tsx';

/** `/s/:shop/returns`: the shop's customer return portal (find the order, choose, explain, review, confirm). */
export function ReturnsRoute() {
  const { shop = '' } = useParams();
  return <PortalPage shop={shop} />;
}
