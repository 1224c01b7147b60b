import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, type BusinessCalendar } from './business-calendar.ts';
import {
  type CaseFacts,
  caseSlaState,
  matchesCondition,
  nextSlaChange,
  replaySla,
  type SlaEvent,
  type SlaPolicy,
  selectSlaPolicy,
} from './sla.ts';

const MIN = 60_000;
const H = 60 * MIN;
const t0 = Date.parse('2026-11-30T08:00:00Z'); // a Monday, 09:00 in Berlin
const facts: CaseFacts = {
  queue: 'needs_review',
  priority: 'normal',
  reasons: ['damaged'],
  resolution: 'refund',
  orderValue: { amount: 12_000, currency: 'EUR' },
  tenantKind: 'merchant',
  language: 'de-DE',
};
const policy = (id: string, when: SlaPolicy['when']): SlaPolicy => ({
  id,
  name: id,
  when,
  targets: { first_response: 60 },
  calendarId: null,
  atRiskShare: 0.8,
});

describe('choosing the SLA policy', () => {
  it('takes the first policy whose every condition matches', () => {
    const policies = [
      policy('urgent', { priorities: ['urgent'] }),
      policy('big german damage', {
        reasons: ['damaged', 'wrong_item'],
        languages: ['de'],
        orderValueAtLeast: { amount: 10_000, currency: 'EUR' },
      }),
      policy('catch-all', {}),
    ];
    expect(selectSlaPolicy(policies, facts)?.id).toBe('big german damage');
    expect(selectSlaPolicy(policies, { ...facts, priority: 'urgent' })?.id).toBe('urgent');
    expect(selectSlaPolicy(policies, { ...facts, orderValue: { amount: 9_999, currency: 'EUR' } })?.id).toBe(
      'catch-all',
    );
    // A value in another currency is not compared with the threshold.
    expect(selectSlaPolicy(policies, { ...facts, orderValue: { amount: 90_000, currency: 'JPY' } })?.id).toBe(
      'catch-all',
    );
    expect(selectSlaPolicy(policies.slice(0, 2), { ...facts, language: 'en' })).toBeNull();
  });

  it('matches each kind of condition', () => {
    expect(matchesCondition({ queues: ['awaiting_inspection'] }, facts)).toBe(false);
    expect(matchesCondition({ resolutions: ['refund', 'exchange'] }, facts)).toBe(true);
    expect(matchesCondition({ tenantKinds: ['purchasing_agent'] }, facts)).toBe(false);
    expect(matchesCondition({ reasons: [] }, facts)).toBe(true);
  });
});

const ev = (minutes: number, e: Partial<SlaEvent> & Pick<SlaEvent, 'action' | 'status'>): SlaEvent => ({
  at: t0 + minutes * MIN,
  actor: 'staff',
  visible: true,
  ...e,
});
const filed = ev(0, { action: 'request', status: 'submitted', actor: 'customer' });
const toReview = ev(0, { action: 'review', status: 'needs_review', actor: 'system', visible: false });
const targets = { first_response: 60, next_response: 120, resolution: 24 * 60 };
const replay = (events: SlaEvent[], now: number, calendar: BusinessCalendar = ALWAYS_OPEN) =>
  replaySla({ events, targets, calendar, atRiskShare: 0.8, now: t0 + now * MIN });
const timer = (timers: ReturnType<typeof replay>, metric: string) => timers.find((t) => t.metric === metric)!;

describe('replaying a case into timers', () => {
  it('runs first response and resolution from the request, with due and at-risk times', () => {
    const timers = replay([filed, toReview], 30);
    const first = timer(timers, 'first_response');
    expect(first).toMatchObject({
      state: 'running',
      usedMs: 30 * MIN,
      dueAt: t0 + 60 * MIN,
      atRiskAt: t0 + 48 * MIN,
    });
    expect(timer(timers, 'resolution').dueAt).toBe(t0 + 24 * H);
    expect(caseSlaState(timers, t0 + 30 * MIN)).toBe('ok');
    expect(nextSlaChange(timers, t0 + 30 * MIN)).toBe(t0 + 48 * MIN);
  });

  it('is at risk from 80 % and breached past the target, with the instant it crossed', () => {
    expect(caseSlaState(replay([filed, toReview], 50), t0 + 50 * MIN)).toBe('at_risk');
    const late = replay([filed, toReview], 75);
    expect(timer(late, 'first_response')).toMatchObject({
      state: 'breached',
      breachedAt: t0 + 60 * MIN,
      dueAt: null,
    });
    expect(caseSlaState(late, t0 + 75 * MIN)).toBe('breached');
  });

  it('stops first response at the first visible staff word, not at an internal note', () => {
    const note = ev(10, { action: 'note', status: 'needs_review', visible: false });
    const reply = ev(40, { action: 'staff_message', status: 'needs_review' });
    expect(timer(replay([filed, toReview, note], 20), 'first_response').state).toBe('running');
    expect(timer(replay([filed, toReview, note, reply], 90), 'first_response')).toMatchObject({
      state: 'met',
      metAt: t0 + 40 * MIN,
      usedMs: 40 * MIN,
    });
    // Answered after the target: missed, and it stays missed.
    const lateReply = ev(70, { action: 'staff_message', status: 'needs_review' });
    expect(timer(replay([filed, toReview, lateReply], 90), 'first_response').state).toBe('missed');
  });

  it('counts an instant policy decision as the first response', () => {
    const approved = ev(0, { action: 'approve', status: 'approved', actor: 'system' });
    expect(timer(replay([filed, approved], 5), 'first_response').state).toBe('met');
  });

  it('pauses every timer while the parcel is on its way and resumes on arrival', () => {
    const approve = ev(20, { action: 'approve', status: 'awaiting_shipment' });
    const shipped = ev(60, { action: 'ship', status: 'in_transit', actor: 'api', visible: false });
    const received = ev(24 * 60 + 100, { action: 'receive', status: 'received', actor: 'staff' });
    const timers = replay([filed, toReview, approve, shipped, received], 24 * 60 + 130);
    // 20 minutes before the approval put it to waiting, then 30 since it arrived.
    expect(timer(timers, 'resolution')).toMatchObject({ state: 'running', usedMs: 50 * MIN });
    expect(timer(timers, 'resolution').dueAt).toBe(t0 + (24 * 60 + 130) * MIN + (24 * 60 - 50) * MIN);
    const waitingNow = replay([filed, toReview, approve, shipped], 300);
    expect(timer(waitingNow, 'resolution')).toMatchObject({ state: 'paused', dueAt: null, atRiskAt: null });
    expect(
      caseSlaState(
        waitingNow.filter((t) => t.metric === 'resolution'),
        t0 + 300 * MIN,
      ),
    ).toBe('paused');
  });

  it('opens a next-response round on each customer action after an answer', () => {
    const reply = ev(10, { action: 'staff_message', status: 'needs_review' });
    const evidence = ev(30, { action: 'add_evidence', status: 'needs_review', actor: 'customer' });
    const again = ev(200, { action: 'staff_message', status: 'needs_review' });
    const more = ev(210, { action: 'add_evidence', status: 'needs_review', actor: 'customer' });
    const timers = replay([filed, toReview, reply, evidence, again, more], 220);
    const rounds = timers.filter((t) => t.metric === 'next_response');
    expect(rounds.map((r) => r.state)).toEqual(['missed', 'running']);
    expect(rounds[1]!.dueAt).toBe(t0 + 330 * MIN);
  });

  it('stops everything when the case is done', () => {
    const reject = ev(30, { action: 'reject', status: 'rejected' });
    const timers = replay([filed, toReview, reject], 5000);
    expect(timers.map((t) => t.state)).toEqual(['met', 'met']);
    expect(caseSlaState(timers, t0 + 5000 * MIN)).toBe('met');
    expect(nextSlaChange(timers, t0)).toBeNull();
  });

  it('counts in business time: a case filed on Friday evening is due on Monday', () => {
    const berlin: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      week: [0, 1, 2, 3, 4].map(() => [{ start: '09:00', end: '17:00' }]).concat([[], []]),
      holidays: [],
    };
    const friday = Date.parse('2026-11-27T17:00:00Z'); // 18:00 Berlin, closed
    const timers = replaySla({
      events: [
        { ...filed, at: friday },
        { ...toReview, at: friday },
      ],
      targets: { first_response: 60 },
      calendar: berlin,
      atRiskShare: 0.8,
      now: friday + 2 * H,
    });
    expect(timers[0]).toMatchObject({
      usedMs: 0,
      dueAt: Date.parse('2026-11-30T09:00:00Z'),
      atRiskAt: Date.parse('2026-11-30T08:48:00Z'),
    });
  });
});

describe('timer properties', () => {
  const kinds = ['staff_message', 'note', 'add_evidence', 'approve', 'ship', 'receive', 'reject'] as const;
  const statuses = ['needs_review', 'awaiting_shipment', 'in_transit', 'received', 'rejected'] as const;
  const eventsArb = fc
    .array(
      fc.record({
        gap: fc.integer({ min: 0, max: 600 }),
        action: fc.constantFrom(...kinds),
        status: fc.constantFrom(...statuses),
        actor: fc.constantFrom('customer', 'staff', 'api', 'system') as fc.Arbitrary<SlaEvent['actor']>,
        visible: fc.boolean(),
      }),
      { maxLength: 12 },
    )
    .map((xs) => {
      let at = 0;
      return [
        filed,
        toReview,
        ...xs.map((x) => {
          at += x.gap;
          return ev(at, x);
        }),
      ];
    });

  it('never uses more time than passed, and later looks never use less', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 0, max: 20_000 }), fc.nat(5_000), (events, now, later) => {
        const end = Math.max(now, (events.at(-1)!.at - t0) / MIN);
        const a = replay(events, end);
        const b = replay(events, end + later);
        for (const [i, t] of a.entries()) {
          expect(t.usedMs).toBeLessThanOrEqual(end * MIN);
          expect(b[i]!.usedMs).toBeGreaterThanOrEqual(t.usedMs);
          // Breached exactly when the time used passes the target.
          if (t.state === 'breached' || t.state === 'missed') expect(t.usedMs).toBeGreaterThan(t.targetMs);
          if (t.state === 'running' || t.state === 'paused' || t.state === 'met')
            expect(t.usedMs).toBeLessThanOrEqual(t.targetMs);
          if (t.state === 'running') expect(t.dueAt! - (t0 + end * MIN)).toBe(t.targetMs - t.usedMs);
        }
      }),
      { numRuns: 300 },
    );
  });
});
