/** A return's statuses, in the order of its life (the tracking page and the console label them). */
export { RETURN_STATUSES, type ReturnStatus } from '../modules/returns/state-machine.ts';
