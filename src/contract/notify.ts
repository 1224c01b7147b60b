/** The events a webhook endpoint may subscribe to. */
export { WEBHOOK_EVENTS } from '../modules/notify/notify-rules.ts';
