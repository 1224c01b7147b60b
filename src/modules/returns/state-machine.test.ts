import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  isTerminal,
  plan,
  RETURN_ACTIONS,
  RETURN_STATUSES,
  type ReturnStatus,
  releasesQuantity,
  stepsAhead,
} from './state-machine.ts';

/** DESIGN.md's transitions, written out by hand as the oracle. */
const DESIGN_EDGES = new Set([
  'submitted>approved',
  'submitted>needs_review',
  'submitted>rejected',
  'needs_review>approved',
  'needs_review>rejected',
  'approved>awaiting_shipment',
  'awaiting_shipment>in_transit',
  'in_transit>received',
  'received>inspected',
  'inspected>refund_pending',
  'refund_pending>refunded',
  'refunded>closed',
  'approved>refund_pending',
  'submitted>cancelled',
  'needs_review>cancelled',
  'approved>cancelled',
  'awaiting_shipment>cancelled',
  // Documented extension: a parcel dropped off without a scan is received all the same.
  'awaiting_shipment>received',
]);

describe('return state machine', () => {
  it('only ever takes edges of the design', () => {
    for (const status of RETURN_STATUSES) {
      for (const returnless of [false, true]) {
        for (const action of RETURN_ACTIONS) {
          const p = plan(status, action, { returnless });
          if (!p.ok) continue;
          for (const s of p.steps)
            expect(DESIGN_EDGES.has(`${s.from}>${s.to}`), `${s.from}>${s.to}`).toBe(true);
        }
      }
    }
  });

  it('answers a refused action with exactly the actions that would be accepted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RETURN_STATUSES),
        fc.constantFrom(...RETURN_ACTIONS),
        fc.boolean(),
        (status, action, returnless) => {
          const p = plan(status, action, { returnless });
          const allowed = allowedActions(status, { returnless });
          if (p.ok) expect(allowed).toContain(action);
          else {
            expect(allowed).not.toContain(action);
            expect(p.allowed).toEqual(allowed);
          }
        },
      ),
    );
  });

  it('allows nothing from a terminal state', () => {
    for (const s of RETURN_STATUSES.filter(isTerminal)) {
      expect(allowedActions(s, { returnless: false })).toEqual([]);
      expect(allowedActions(s, { returnless: true })).toEqual([]);
    }
  });

  it('refunds from approved only when the refund is returnless', () => {
    expect(plan('approved', 'refund', { returnless: true }).ok).toBe(true);
    expect(plan('approved', 'refund', { returnless: false }).ok).toBe(false);
  });

  it('cancels only until the parcel is in transit', () => {
    const cancellable = RETURN_STATUSES.filter((s) => plan(s, 'cancel', { returnless: false }).ok);
    expect(cancellable).toEqual(['submitted', 'needs_review', 'approved', 'awaiting_shipment']);
  });

  it('reaches closed from submitted along any accepted random walk, never leaving the status set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...RETURN_ACTIONS), { maxLength: 40 }),
        fc.boolean(),
        (actions, returnless) => {
          let status: ReturnStatus = 'submitted';
          for (const a of actions) {
            const p = plan(status, a, { returnless });
            if (!p.ok) continue;
            expect(p.steps[0]!.from).toBe(status);
            for (let i = 1; i < p.steps.length; i++) expect(p.steps[i]!.from).toBe(p.steps[i - 1]!.to);
            status = p.steps[p.steps.length - 1]!.to;
            if (a === 'refund') status = 'refunded';
            expect(RETURN_STATUSES).toContain(status);
          }
          // Whatever happened, releasing units only ever happens in a terminal state.
          if (releasesQuantity(status)) expect(isTerminal(status)).toBe(true);
        },
      ),
    );
  });

  it('lists the steps still ahead for tracking', () => {
    expect(stepsAhead('in_transit', { returnless: false })).toEqual([
      'received',
      'inspected',
      'refund_pending',
      'refunded',
      'closed',
    ]);
    expect(stepsAhead('approved', { returnless: true })).toEqual(['refund_pending', 'refunded', 'closed']);
    expect(stepsAhead('needs_review', { returnless: false })[0]).toBe('approved');
  });
});
