import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newSecret } from '../../platform/ids.ts';
import type { Sealer } from '../../platform/secrets.ts';
import { createManualProvider } from './providers/manual-provider.ts';
import type { PaymentProvider } from './providers/payment-provider.ts';
import { createStripeProvider } from './providers/stripe-provider.ts';

export type StripeAccountConfig = { apiKey: string; webhookSecret: string; baseUrl?: string };

/**
 * Which payment providers a tenant has connected. Credentials are sealed before they are stored
 * and never leave through the API; each account gets an unguessable webhook URL that tells us
 * whose secret verifies the delivery.
 */
export function createProviderAccounts(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  publicUrl: () => string;
  timeoutMs?: number;
  allowBaseUrl?: boolean;
}) {
  const { db, sealer } = deps;
  const manual = createManualProvider();

  const webhookUrl = (provider: string, token: string) =>
    `${deps.publicUrl()}/api/v1/webhooks/payments/${provider}/${token}`;

  return {
    async providerFor(tenantId: string, providerId: string): Promise<PaymentProvider | null> {
      if (providerId === 'manual') return manual;
      if (providerId !== 'stripe') return null;
      const row = await db
        .selectFrom('providerAccounts')
        .select('sealedConfig')
        .where('tenantId', '=', tenantId)
        .where('provider', '=', providerId)
        .executeTakeFirst();
      if (!row) return null;
      const cfg = JSON.parse(sealer.open(row.sealedConfig)) as StripeAccountConfig;
      return createStripeProvider({
        apiKey: cfg.apiKey,
        webhookSecret: cfg.webhookSecret,
        ...(cfg.baseUrl ? { baseUrl: cfg.baseUrl } : {}),
        ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
      });
    },

    async byWebhookToken(providerId: string, token: string) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
      return db
        .selectFrom('providerAccounts')
        .select(['tenantId', 'provider'])
        .where('provider', '=', providerId)
        .where('webhookToken', '=', token)
        .executeTakeFirst();
    },

    async configureStripe(tenantId: string, cfg: StripeAccountConfig) {
      if (cfg.baseUrl && !deps.allowBaseUrl) {
        throw new AppError(
          400,
          'base_url_not_allowed',
          'This server only talks to api.stripe.com; a different baseUrl needs ALLOW_PROVIDER_BASE_URL=true.',
        );
      }
      const now = deps.clock.now().toISOString();
      const sealedConfig = sealer.seal(JSON.stringify(cfg));
      const existing = await db
        .selectFrom('providerAccounts')
        .select('webhookToken')
        .where('tenantId', '=', tenantId)
        .where('provider', '=', 'stripe')
        .executeTakeFirst();
      const webhookToken = existing?.webhookToken ?? newSecret(24);
      if (existing) {
        await db
          .updateTable('providerAccounts')
          .set({ sealedConfig, updatedAt: now })
          .where('tenantId', '=', tenantId)
          .where('provider', '=', 'stripe')
          .execute();
      } else {
        await db
          .insertInto('providerAccounts')
          .values({
            tenantId,
            provider: 'stripe',
            sealedConfig,
            webhookToken,
            createdAt: now,
            updatedAt: now,
          })
          .execute();
      }
      return this.describe('stripe', webhookToken, cfg, now);
    },

    describe(provider: string, token: string, cfg: StripeAccountConfig, updatedAt: string) {
      return {
        provider,
        configured: true,
        // Only the last characters, so staff can tell keys apart.
        apiKeyHint: `…${cfg.apiKey.slice(-4)}`,
        baseUrl: cfg.baseUrl ?? 'https://api.stripe.com',
        webhookUrl: webhookUrl(provider, token),
        updatedAt,
      };
    },

    async list(tenantId: string) {
      const rows = await db
        .selectFrom('providerAccounts')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .execute();
      return [
        {
          provider: 'manual',
          configured: true,
          apiKeyHint: null,
          baseUrl: null,
          webhookUrl: null,
          updatedAt: null,
        },
        ...rows.map((r) =>
          this.describe(
            r.provider,
            r.webhookToken,
            JSON.parse(sealer.open(r.sealedConfig)) as StripeAccountConfig,
            r.updatedAt,
          ),
        ),
      ];
    },
  };
}

export type ProviderAccounts = ReturnType<typeof createProviderAccounts>;
