import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from './business-calendar.ts';

/**
 * Service levels, pure: which policy applies to a case, and its timers replayed from the case's
 * timeline in business time. Replaying the whole timeline (rather than nudging stored timers event
 * by event) makes the answer the same however often, late or out of order the tracker runs.
 */

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Every field present must match; an empty condition matches every case (a catch-all policy). */
export type SlaCondition = {
  queues?: string[];
  priorities?: Priority[];
  reasons?: string[];
  resolutions?: string[];
  /** In the order's currency; an order in another currency does not match. */
  orderValueAtLeast?: { amount: number; currency: string };
  tenantKinds?: ('merchant' | 'purchasing_agent')[];
  languages?: string[];
};
/** Targets in business minutes; a metric left out has no timer. */
export type SlaTargets = Partial<Record<SlaMetric, number>>;
export type SlaPolicy = {
  id: string;
  name: string;
  when: SlaCondition;
  targets: SlaTargets;
  /** The calendar the targets count in; null means the tenant's default calendar. */
  calendarId: string | null;
  /** The share of a target used at which the case is at risk (0.8 = 80 %). */
  atRiskShare: number;
};
export type CaseFacts = {
  queue: string;
  priority: Priority;
  reasons: string[];
  resolution: string;
  orderValue: { amount: number; currency: string };
  tenantKind: 'merchant' | 'purchasing_agent';
  language: string;
};

/** Whether a case meets every part of a condition. */
export function matchesCondition(c: SlaCondition, f: CaseFacts): boolean {
  const within = <T>(allowed: T[] | undefined, v: T) =>
    !allowed || allowed.length === 0 || allowed.includes(v);
  if (!within(c.queues, f.queue) || !within(c.priorities, f.priority)) return false;
  if (!within(c.resolutions, f.resolution) || !within(c.tenantKinds, f.tenantKind)) return false;
  if (c.languages?.length && !c.languages.includes(f.language.toLowerCase().split('-')[0]!)) return false;
  if (c.reasons?.length && !f.reasons.some((r) => c.reasons!.includes(r))) return false;
  const v = c.orderValueAtLeast;
  if (v && (v.currency !== f.orderValue.currency || f.orderValue.amount < v.amount)) return false;
  return true;
}

/** The first policy, in the given order, whose condition the case meets; null when none does. */
export function selectSlaPolicy<P extends Pick<SlaPolicy, 'when'>>(
  policies: P[],
  facts: CaseFacts,
): P | null {
  return policies.find((p) => matchesCondition(p.when, facts)) ?? null;
}

/** Statuses in which the case waits on someone else (the customer to ship, the parcel, the seller): timers pause. */
export const WAITING_STATUSES: readonly string[] = ['awaiting_shipment', 'in_transit'];
/** Statuses in which the case is done: the resolution timer stops. */
export const DONE_STATUSES: readonly string[] = ['rejected', 'refunded', 'closed', 'cancelled'];

/**
 * Whether an event answers the customer: a visible word or decision by staff or an integration,
 * or the policy's own decision (an instant approval is an answer; sending to review is not).
 */
function answers(e: SlaEvent): boolean {
  if (e.actor === 'staff' || e.actor === 'api') return e.visible;
  return e.actor === 'system' && (e.action === 'approve' || e.action === 'reject');
}

/** One entry of the case's timeline as the SLA reads it. */
export type SlaEvent = {
  at: number;
  action: string;
  status: string;
  actor: 'customer' | 'staff' | 'api' | 'system';
  /** Seen by the customer (a reply or a decision), as opposed to an internal note. */
  visible: boolean;
  /** Waiting on someone outside the team from this event on, whatever the status says (a seller claim). */
  waiting?: boolean;
};

export type SlaTimerState = 'running' | 'paused' | 'met' | 'missed' | 'breached';
export type SlaTimer = {
  metric: SlaMetric;
  targetMs: number;
  startedAt: number;
  /** Business time used so far (until it stopped, or until now). */
  usedMs: number;
  state: SlaTimerState;
  /** While it runs and has time left: when it breaches. */
  dueAt: number | null;
  /** While it runs: when it reaches the at-risk share (may be past). */
  atRiskAt: number | null;
  /** When it went past its target, if it did. */
  breachedAt: number | null;
  metAt: number | null;
};

/** A timer as it is replayed. */
class Clock {
  used = 0;
  runningSince: number | null = null;
  metAt: number | null = null;
  breachedAt: number | null = null;
  atRiskReachedAt: number | null = null;
  constructor(
    readonly metric: SlaMetric,
    readonly target: number,
    readonly riskAt: number,
    readonly startedAt: number,
    private readonly cal: BusinessCalendar,
  ) {}
  /** Counts open time up to `t`, noting when the at-risk share and the target were crossed. */
  advance(t: number) {
    if (this.runningSince === null || t <= this.runningSince) return;
    const from = this.runningSince;
    const used = businessTimeBetween(this.cal, from, t);
    if (this.atRiskReachedAt === null && this.used + used >= this.riskAt)
      this.atRiskReachedAt = addBusinessTime(this.cal, from, this.riskAt - this.used);
    if (this.breachedAt === null && this.used + used > this.target)
      this.breachedAt = addBusinessTime(this.cal, from, this.target - this.used);
    this.used += used;
    this.runningSince = t;
  }
  pause(t: number) {
    this.advance(t);
    this.runningSince = null;
  }
  resume(t: number) {
    if (this.runningSince === null && this.metAt === null) this.runningSince = t;
  }
  stop(t: number) {
    this.advance(t);
    this.runningSince = null;
    this.metAt = t;
  }
  view(now: number): SlaTimer {
    this.advance(now);
    const running = this.runningSince !== null;
    const left = this.target - this.used;
    const state: SlaTimerState =
      this.metAt !== null
        ? this.breachedAt === null
          ? 'met'
          : 'missed'
        : this.breachedAt !== null
          ? 'breached'
          : running
            ? 'running'
            : 'paused';
    return {
      metric: this.metric,
      targetMs: this.target,
      startedAt: this.startedAt,
      usedMs: this.used,
      state,
      dueAt: running && left >= 0 ? addBusinessTime(this.cal, now, left) : null,
      atRiskAt:
        running && this.metAt === null
          ? (this.atRiskReachedAt ?? addBusinessTime(this.cal, now, this.riskAt - this.used))
          : null,
      breachedAt: this.breachedAt,
      metAt: this.metAt,
    };
  }
}

/**
 * The case's timers at `now`, replayed from its timeline (oldest first; the first event opens the
 * case). First response: from the request to the first answer (see `answers`; an instant decision
 * answers at once). Next response: from each customer action after
 * that to the next visible staff word. Resolution: from the request to a done status. Every timer
 * pauses while the case waits on someone outside the team and resumes when it stops waiting.
 * The next-response timers of earlier rounds are kept, so a missed one still shows.
 */
export function replaySla(input: {
  events: SlaEvent[];
  targets: SlaTargets;
  calendar: BusinessCalendar;
  atRiskShare: number;
  now: number;
}): SlaTimer[] {
  const { events, targets, calendar, now } = input;
  const first = events[0];
  if (!first) return [];
  const share = Math.min(1, Math.max(0, input.atRiskShare));
  const make = (metric: SlaMetric, at: number) => {
    const minutes = targets[metric];
    if (minutes === undefined || minutes <= 0) return null;
    const target = Math.round(minutes * 60_000);
    return new Clock(metric, target, Math.round(target * share), at, calendar);
  };
  const rounds: Clock[] = [];
  const firstResponse = make('first_response', first.at);
  const resolution = make('resolution', first.at);
  let next: Clock | null = null;
  let answered = false;
  let waiting = false;
  const open = () =>
    [firstResponse, resolution, next].filter((c): c is Clock => c !== null && c.metAt === null);
  for (const c of open()) c.resume(first.at);

  for (const [i, e] of events.entries()) {
    for (const c of open()) c.advance(e.at);
    if (i > 0 && answers(e)) {
      if (!answered) firstResponse?.stop(e.at);
      next?.stop(e.at);
      next = null;
      answered = true;
    } else if (
      i > 0 &&
      e.actor === 'customer' &&
      answered &&
      next === null &&
      !DONE_STATUSES.includes(e.status)
    ) {
      next = make('next_response', e.at);
      if (next) rounds.push(next);
      next?.resume(e.at);
      if (waiting) next?.pause(e.at);
    }
    if (DONE_STATUSES.includes(e.status)) {
      for (const c of open()) c.stop(e.at);
      continue;
    }
    const nowWaiting = e.waiting ?? WAITING_STATUSES.includes(e.status);
    if (nowWaiting && !waiting) for (const c of open()) c.pause(e.at);
    if (!nowWaiting && waiting) for (const c of open()) c.resume(e.at);
    waiting = nowWaiting;
  }
  return [firstResponse, ...rounds, resolution]
    .filter((c): c is Clock => c !== null)
    .map((c) => c.view(Math.max(now, c.startedAt)));
}

export type CaseSlaState = 'none' | 'ok' | 'paused' | 'at_risk' | 'breached' | 'met';

/** The case's one word for its service level: the worst of its open timers. */
export function caseSlaState(timers: SlaTimer[], now: number): CaseSlaState {
  if (timers.length === 0) return 'none';
  const open = timers.filter((t) => t.state !== 'met' && t.state !== 'missed');
  if (open.length === 0) return 'met';
  if (open.some((t) => t.state === 'breached')) return 'breached';
  if (open.some((t) => t.state === 'running' && t.atRiskAt !== null && t.atRiskAt <= now)) return 'at_risk';
  if (open.every((t) => t.state === 'paused')) return 'paused';
  return 'ok';
}

/** The next instant at which the case's word changes by time alone (at risk, then breached); null when none will. */
export function nextSlaChange(timers: SlaTimer[], now: number): number | null {
  let next: number | null = null;
  for (const t of timers) {
    if (t.state !== 'running') continue;
    for (const at of [t.atRiskAt, t.dueAt])
      if (at !== null && at > now && (next === null || at < next)) next = at;
  }
  return next;
}
