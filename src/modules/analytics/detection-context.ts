import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { StaffNotice } from '../notify/service.ts';
import type { Dialect } from './detection-queries.ts';
import type { DetectorOptions } from './early-warning.ts';

export type StaffNotifier = (tenantId: string, input: StaffNotice) => Promise<unknown>;

/** What the detection service is handed (createDetectionService), and each of its parts with it. */
export type DetectionDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  /** Admins and supervisors with their emails: who hears about alerts. */
  staffFor: (tenantId: string) => Promise<{ id: string; email: string }[]>;
  notifyStaff: StaffNotifier;
  publicUrl: () => string;
  /** Each tenant's id, for the daily schedule. */
  tenantIds: () => Promise<string[]>;
  kick?: () => void;
  options?: Partial<DetectorOptions>;
};

export function today(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

/** `YYYY-MM-DD`, a real calendar day, not in the future. */
export function checkAsOf(asOf: string | undefined, clock: Clock): string {
  if (asOf === undefined) return today(clock);
  const d = new Date(`${asOf}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(asOf) ||
    Number.isNaN(d.getTime()) ||
    d.toISOString().slice(0, 10) !== asOf
  ) {
    throw new AppError(400, 'invalid_as_of', 'asOf must be a date as YYYY-MM-DD.');
  }
  return asOf;
}
