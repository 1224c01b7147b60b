import { ConsoleApp } from '../../features/console/components/console-app.tsx';

/** `/console/*`: the agent console (staff sign-in, queues, cases). English-only: staff pages. */
export function ConsoleRoute() {
  return <ConsoleApp />;
}
