import { ComingSoon } from '../../components/coming-soon.tsx';

/** `/returns`: the customer portal (next slice). */
export function ReturnsRoute() {
  return <ComingSoon title="soon.returns.title" body="soon.returns.body" />;
}
