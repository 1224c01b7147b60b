/** The return policy's vocabulary (rule fields, operators, actions, resolutions) and its defaults. */
export { defaultPolicy } from '../modules/policy/default-policy.ts';
export {
  DECISION_OUTCOMES,
  type DecisionOutcome,
  RESOLUTIONS,
  RULE_ACTIONS,
  RULE_FIELDS,
  RULE_OPERATORS,
} from '../modules/policy/policy-vocabulary.ts';
