/** A return's statuses, in the order of its life (the tracking page and the console label them). */

/** The agent console's queues (the server counts and filters by these names). */
export { QUEUES, type Queue } from '../modules/returns/console-queue.ts';
export { RETURN_STATUSES, type ReturnStatus } from '../modules/returns/state-machine.ts';
