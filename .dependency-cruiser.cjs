/**
 * The walls between modules, checked by `npm run lint` (docs/ARCHITECTURE.md):
 *
 * - platform knows no module; a module reaches another only through its service, its pure rules
 *   and its types, never its repo, queries, tables, routes or migrations;
 * - the core (orders, policy, refunds, returns) does not know the purchasing-agent module: those
 *   rules plug in through returns/stage-rules.ts and policy/purchasing-agent-policy.ts;
 * - src/contract and the pure domain files (policy evaluation, the refund calculator, the state
 *   machine, money) reach no I/O;
 * - the web app imports server code only through src/contract (`@contract/…`);
 * - no import cycles.
 */
const MODULE_INTERNALS =
  '^src/modules/[^/]+/(repo|tables|[^/]*-tables|queries|[^/]*-queries|routes|[^/]*-routes|migrations/)';
const IO =
  '^(node_modules/(fastify|kysely|pg|better-sqlite3|@fastify)/|src/platform/(db|http|outbox)|src/main)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: one side should depend on an interface the other provides.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-knows-no-module',
      severity: 'error',
      comment: 'src/platform is shared infrastructure; modules plug into it, not the reverse.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|contract)/|^src/(main|database|cli)\\.ts$' },
    },
    {
      name: 'module-internals-stay-inside',
      severity: 'error',
      comment:
        "Another module's repo, queries, tables, routes and migrations are its own: call its service " +
        '(or its pure rules and types) instead.',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: MODULE_INTERNALS, pathNot: ['^src/modules/$1/'] },
    },
    {
      name: 'core-knows-no-purchasing-agent',
      severity: 'error',
      comment:
        'Purchasing-agent rules plug into the core (returns/stage-rules.ts, policy/purchasing-agent-policy.ts); ' +
        'the core does not import them.',
      from: { path: '^src/modules/(orders|policy|refunds|returns)/' },
      to: { path: '^src/modules/sourcing/' },
    },
    {
      name: 'modules-know-no-composition-root',
      severity: 'error',
      comment:
        'main.ts, app.ts, database.ts and cli.ts assemble the modules; a module is handed what it needs.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(main|app|database|cli)\\.ts$' },
    },
    {
      name: 'contract-is-pure',
      severity: 'error',
      comment:
        'The contract is bundled into the browser: nothing in it may reach a database, HTTP or Fastify.',
      from: { path: '^src/contract/' },
      to: { path: IO, reachable: true },
    },
    {
      name: 'domain-rules-are-pure',
      severity: 'error',
      comment:
        'Policy evaluation, refund arithmetic, the state machines, money and the statistics are pure ' +
        'functions of their input.',
      from: {
        path: [
          '^src/modules/policy/(evaluate-policy|evaluation-types|assess-return|decide-return|rule-matching|explain|default-policy|policy-vocabulary)\\.ts$',
          '^src/modules/refunds/(refund-calculator|refund-breakdown|resolution-quote)\\.ts$',
          '^src/modules/returns/state-machine\\.ts$',
          '^src/modules/analytics/(stats|metrics-math|rate-ranking|risk-model|themes|early-warning[^/]*|synthetic[^/]*)\\.ts$',
          '^src/modules/notify/(notify-rules|templates|template-vocabulary|render-email|sms)\\.ts$',
          '^src/modules/sourcing/(stages|stage-policy)\\.ts$',
          '^src/platform/money\\.ts$',
        ],
      },
      to: { path: IO, reachable: true },
    },
    {
      name: 'web-imports-server-only-through-contract',
      severity: 'error',
      comment: 'The web app imports server code as @contract/… (src/contract) and nothing else of src/.',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/contract/' },
    },
    {
      name: 'not-to-test-from-src',
      severity: 'error',
      comment: 'Production code does not import test helpers.',
      from: { path: '^(src|web/src)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^test/' },
    },
    {
      name: 'only-tests-assemble-the-app',
      severity: 'error',
      comment:
        'src/testing/ builds the whole application for service tests beside the code; production code ' +
        'is handed what it needs by the composition root instead.',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '^src/testing/'] },
      to: { path: '^src/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    // tsconfig.json maps @contract/* to src/contract, as web/tsconfig.json does for the web build.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
