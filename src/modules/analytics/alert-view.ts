import type { Finding } from './early-warning.ts';

/**
 * An alert as the API answers it: a finding of the detector (stored, or computed as of a past
 * day) with its phrases and its history. Types only, so the web app reads the same shape.
 */
export type AlertView = {
  id: string | null;
  sku: string;
  category: string;
  kind: string;
  status: 'open' | 'resolved' | 'computed';
  since: string;
  confidence: number;
  pValue: number;
  qValue: number;
  change: { before: number; now: number; lift: number };
  evidence: Finding['evidence'] & { affectedOrdersSince?: string };
  phrases: { phrase: string; count: number; lift: number }[];
  asOf: string;
  firstDetectedAt: string | null;
  lastDetectedAt: string | null;
  resolvedAt: string | null;
  /** Where staff see the evidence. */
  link: string | null;
};
