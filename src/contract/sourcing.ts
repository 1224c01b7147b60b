/** Purchasing agents: the stages an order line moves through (docs/purchasing-agents.md). */
export { LINE_STAGES, type LineStage } from '../modules/sourcing/stages.ts';
