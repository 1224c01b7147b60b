import type { Realtime } from '../realtime/hub.ts';
import type { NotifyService } from './service.ts';
import type { NotifySettings } from './settings.ts';
import type { WebhookService } from './webhooks.ts';

/** What a tracking link stands for: one return of one customer of one tenant. */
export type TrackingAccess = { tenantId: string; returnId: string; customerId: string };

/** What the notification routes are handed by the composition root; each sub-flow picks its part. */
export type NotifyRouteDeps = {
  notify: NotifyService;
  settings: NotifySettings;
  webhooks: WebhookService;
  realtime: Realtime;
  resolveTracking: (token: string) => Promise<TrackingAccess>;
  customers: {
    require: (
      tenantId: string,
      id: string,
    ) => Promise<{ id: string; phone: string | null; locale: string | null; timeZone: string | null }>;
    updateContact: (
      tenantId: string,
      id: string,
      c: { phone?: string | null; locale?: string | null; timeZone?: string | null },
    ) => Promise<unknown>;
  };
  unsubscribeKey: Buffer;
  publicRateLimit: number;
};
