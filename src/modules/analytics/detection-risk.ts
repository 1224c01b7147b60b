import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Dialect } from './detection-queries.ts';
import { createRiskScoring } from './risk-scoring.ts';
import { createRiskTraining } from './risk-training.ts';

/** The return-risk model: training from the tenant's history, its quality, and scores of open orders. */
export function createRiskService(deps: { db: Db; dialect: Dialect; clock: Clock }) {
  return {
    ...createRiskTraining(deps),
    ...createRiskScoring(deps),
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
