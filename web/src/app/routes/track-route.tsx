import { useParams } from 'react-router';
import { TrackingPage } from '../../features/tracking/components/tracking-page.tsx';

/** `/t/:token`: the public tracking page behind the link in every customer message. */
export function TrackRoute() {
  const { token = '' } = useParams();
  // A new token is a new page: remount so no state of the previous return lingers.
  return <TrackingPage key={token} token={token} />;
}
