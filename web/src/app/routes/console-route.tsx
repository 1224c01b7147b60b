import '../../lib/i18n/staff-catalogues.ts';
import { ConsoleApp } from '../../features/console/components/console-app.tsx';

/** `/console/*`: the agent console (staff sign-in, queues, cases, warehouse), in the site's language. */
export function ConsoleRoute() {
  return <ConsoleApp />;
}
