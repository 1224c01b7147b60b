import { Type } from 'typebox';
import { Nullable } from '../../platform/http/schemas.ts';

/** The schemas more than one sourcing route file answers with. */
export const Str = Type.String();
export const Int = Type.Integer();

const StageEvent = Type.Object({
  fromStage: Nullable(Str),
  toStage: Str,
  at: Str,
  actor: Str,
  note: Nullable(Str),
});

export const LineStageView = Type.Object({
  orderLineId: Str,
  orderId: Str,
  sku: Str,
  title: Str,
  seller: Nullable(Str),
  sellerOrderRef: Nullable(Str),
  stage: Str,
  stageAt: Nullable(Str),
  domesticDeliveredAt: Nullable(Str),
  qcAt: Nullable(Str),
  storageExpiresAt: Nullable(Str),
  nextStages: Type.Array(Str, {
    description: 'Every stage the line may move to now (skipping ahead is allowed).',
  }),
  usualNextStages: Type.Array(Str, {
    description: 'The step it normally takes next (both QC verdicts in the warehouse); empty when done.',
  }),
  history: Type.Array(StageEvent),
  returns: Type.Array(Type.Object({ id: Str, rmaNumber: Str, status: Str }), {
    description: "Returns filed on the line, newest first (a failed QC's return among them).",
  }),
});
