import type { LineProblem, PortalView } from '../api/portal-api.ts';
import type { Draft } from './draft.ts';

/** The portal's steps, in order. */
export const STEPS = ['lookup', 'items', 'reasons', 'resolution', 'review'] as const;
export type Step = (typeof STEPS)[number];

/** What every step gets: the order, the one draft, and how to move. */
export type StepProps = {
  view: PortalView;
  draft: Draft;
  update: (change: (d: Draft) => Draft) => void;
  back: () => void;
  next: () => void;
  goTo: (step: Step) => void;
  problems: LineProblem[];
  setProblems: (p: LineProblem[]) => void;
};
