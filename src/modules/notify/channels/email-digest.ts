import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/database.ts';
import { parseJson } from '../../../platform/db/schema.ts';
import type { HandlerResult, OutboxMessage } from '../../../platform/outbox.ts';
import type { EmailMessage, EmailSender } from '../email-sender.ts';
import type { NotifySettings } from '../settings.ts';
import type { Locale, TemplateVars } from '../templates.ts';
import type { DigestPart, Rendered } from './channel.ts';
import { unsubscribeHeaders } from './email.ts';

/**
 * The outbox handler of `deliver.digest`: sends the routine updates of one customer's window
 * as a single email, and settles every part of it alike.
 */
export function digestSender(deps: {
  db: Db;
  clock: Clock;
  settings: NotifySettings;
  email: EmailSender | null;
  maxAttempts: number;
  render: (tenantId: string, event: 'digest', locale: Locale, vars: TemplateVars) => Promise<Rendered>;
}) {
  const { db, clock } = deps;
  return async (m: OutboxMessage): Promise<HandlerResult> => {
    const { digestKey } = m.payload as { digestKey: string };
    const parts = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('tenantId', '=', m.tenantId)
      .where('digestKey', '=', digestKey)
      .where('status', 'in', ['digest_pending', 'sending'])
      .orderBy('id')
      .execute();
    if (!parts.length) return { outcome: 'done' };
    const first = parseJson<DigestPart>(parts[0]!.content);
    const s = await deps.settings.settings(m.tenantId);
    const lines = parts.map((x) => `• ${parseJson<DigestPart>(x.content).line}`).join('\n');
    const r = await deps.render(m.tenantId, 'digest', first.locale, { ...first.vars, changes: lines });
    const messageId = `<digest-${parts[0]!.id}@returnflow>`;
    const ids = parts.map((x) => x.id);
    await db
      .updateTable('deliveries')
      .set({ status: 'sending', updatedAt: clock.now().toISOString() })
      .where('tenantId', '=', m.tenantId)
      .where('id', 'in', ids)
      .execute();
    const message: EmailMessage = {
      from: `${first.vars.shopName} <${s.senderEmail}>`,
      to: first.to,
      subject: r.subject,
      text: r.text,
      html: r.html,
      messageId,
      headers: unsubscribeHeaders(first.vars.unsubscribeUrl),
    };
    const result = deps.email ? await deps.email.send(message) : ({ status: 'stored' } as const);
    // Out of tries, the parts are dead like any delivery: staff see them and can replay.
    const status =
      result.status === 'retry'
        ? m.attempts >= deps.maxAttempts
          ? 'dead'
          : 'digest_pending'
        : result.status;
    await db
      .updateTable('deliveries')
      .set({
        status,
        updatedAt: clock.now().toISOString(),
        lastError: 'error' in result ? result.error : null,
      })
      .where('tenantId', '=', m.tenantId)
      .where('id', 'in', ids)
      .execute();
    return result.status === 'retry' ? { outcome: 'retry', error: result.error } : { outcome: 'done' };
  };
}
