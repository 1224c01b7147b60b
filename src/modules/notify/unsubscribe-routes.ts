import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import type { AppInstance } from '../../platform/http/server.ts';
import type { NotifyRouteDeps } from './routes-deps.ts';
import { SmsCallbackSignatureError } from './sms-sender.ts';
import { verifyUnsubscribe } from './unsubscribe-token.ts';

/**
 * The public callbacks that come as form bodies: one-click unsubscribe links and Twilio's
 * delivery status callbacks, in one scope with its own form parser.
 */
export function registerUnsubscribeRoutes(
  app: AppInstance,
  deps: Pick<NotifyRouteDeps, 'notify' | 'settings' | 'unsubscribeKey' | 'publicRateLimit'>,
): void {
  const { notify, settings } = deps;
  const publicConfig = { public: true, rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } };

  // --- unsubscribe -------------------------------------------------------------------------
  // GET shows a page with a button, because mail scanners follow links; POST (the button, or a
  // mail client's RFC 8058 one-click) does it.
  app.register(async (scope: AppInstance) => {
    // The confirm button and RFC 8058 one-click clients post a form body; nothing in it matters.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    // Twilio's delivery callbacks are form bodies too, verified against the raw text.
    scope.post(
      '/api/v1/webhooks/sms/twilio/:tenantId/:token',
      {
        config: publicConfig,
        schema: {
          tags: ['notifications'],
          summary: 'Twilio status callback (signed with X-Twilio-Signature)',
          security: [],
          params: Type.Object({
            tenantId: Type.String({ maxLength: 100 }),
            token: Type.String({ maxLength: 100 }),
          }),
        },
      },
      async (request) => {
        const url = notify.smsCallbackUrl(request.params.tenantId);
        try {
          return await notify.smsStatus(
            request.params.tenantId,
            request.params.token,
            url,
            String(request.body ?? ''),
            request.headers,
          );
        } catch (e) {
          if (e instanceof SmsCallbackSignatureError) throw new AppError(400, 'invalid_signature', e.message);
          throw e;
        }
      },
    );
    const UnsubParams = Type.Object({ token: Type.String({ maxLength: 400 }) });
    scope.get(
      '/u/:token',
      { config: publicConfig, schema: { hide: true, params: UnsubParams } },
      async (request, reply) => {
        const claim = verifyUnsubscribe(deps.unsubscribeKey, request.params.token);
        reply.type('text/html; charset=utf-8');
        if (!claim) return reply.code(404).send(page('This link is not valid.', ''));
        const what =
          claim.channel === 'sms'
            ? 'text messages'
            : claim.channel === 'email'
              ? 'emails'
              : 'in-app messages';
        return page(
          `Stop ${what} about your returns?`,
          `<form method="post"><button type="submit" style="font-size:1rem;padding:.6rem 1.2rem">Unsubscribe</button></form>`,
        );
      },
    );
    scope.post(
      '/u/:token',
      { config: publicConfig, schema: { hide: true, params: UnsubParams } },
      async (request, reply) => {
        const claim = verifyUnsubscribe(deps.unsubscribeKey, request.params.token);
        reply.type('text/html; charset=utf-8');
        if (!claim) return reply.code(404).send(page('This link is not valid.', ''));
        await settings.setPreferences(claim.tenantId, claim.customerId, {
          [claim.channel]: { enabled: false },
        });
        return page(
          'You are unsubscribed.',
          '<p>You can turn messages back on from your return tracking page.</p>',
        );
      },
    );
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1 style="font-size:1.4rem">${title}</h1>${body}</body></html>`;
}
