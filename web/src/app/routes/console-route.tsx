import { ComingSoon } from '../../components/coming-soon.tsx';

/** `/console`: the agent console (next slice). */
export function ConsoleRoute() {
  return <ComingSoon title="soon.console.title" body="soon.console.body" />;
}
