// The shape of src/, checked by `npm run deps` (part of `npm test`): no import circle, and every import points
// down the layers below. Type-only imports count: a circle of types is still a circle to the next maintainer.
//
//   cli.ts, session.ts, commands/       flags -> call -> print; the only place that picks a Hub
//   report/, ls/                         render what the use cases return or emit
//   pull/, summary/, cache/, lock/,      use cases (pull may use cache's layout; never the reverse;
//   serve/                               serve reads the cache through cache/)
//   hub/                                 the Hub seam and its implementations (huggingface/, modelscope/)
//   repo/, retry/, select/, *.ts         pure values and helpers every layer may use
const TOP = '^src/(cli|session)\\.ts$|^src/commands/'
const RENDER = '^src/(report|ls)/'
const USE_CASES = '^src/(pull|summary|cache|lock|serve)/'
const HUB = '^src/hub/'

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'entry-is-top',
      comment: 'Only the command layer wires things together; nothing below imports it.',
      severity: 'error',
      from: { pathNot: TOP },
      to: { path: TOP },
    },
    {
      name: 'render-above-use-cases',
      comment: 'Use cases report through ports they own (pull/reporter.ts); they never import a printer.',
      severity: 'error',
      from: { pathNot: `${TOP}|${RENDER}` },
      to: { path: RENDER },
    },
    {
      name: 'use-cases-above-hub',
      severity: 'error',
      from: { pathNot: `${TOP}|${RENDER}|${USE_CASES}` },
      to: { path: USE_CASES },
    },
    {
      name: 'cache-below-pull',
      comment: "The cache's layout and scans are used by pull, never the other way round.",
      severity: 'error',
      from: { path: '^src/cache/' },
      to: { path: '^src/pull/' },
    },
    {
      name: 'summary-apart-from-pull-and-cache',
      severity: 'error',
      from: { path: '^src/summary/' },
      to: { path: '^src/(pull|cache)/' },
    },
    {
      name: 'hub-only-from-above',
      comment: 'Pure helpers stay pure: they may not reach the network layer.',
      severity: 'error',
      from: { path: '^src/(repo|retry|select)/|^src/[^/]+\\.ts$', pathNot: TOP },
      to: { path: HUB, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'one-hub-implementation-from-outside',
      comment: 'Outside hub/, code holds the Hub interface; only the composition root names an implementation.',
      severity: 'error',
      from: { pathNot: `${TOP}|${HUB}` },
      to: { path: '^src/hub/(huggingface|modelscope)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|test|bench)/' },
  },
}
