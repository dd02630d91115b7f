/**
 * Architecture rules (docs/architecture.md), checked by `npm run lint` (depcruise). Type-only imports
 * count as dependencies (tsPreCompilationDeps), except where a rule says otherwise.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules form no cycle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'api-is-standalone',
      severity: 'error',
      comment:
        'The plugin contract (packages/api) imports nothing of the core, the plugins or the tests, and no package.',
      from: { path: '^packages/api/' },
      to: { pathNot: '^packages/api/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'plugins-use-the-contract-package',
      severity: 'error',
      comment:
        "A plugin reaches the core only through '@ust-sync/api' (never ../../src, never packages/api/src by path).",
      from: { path: '^plugins/[^/]+/' },
      to: { path: '^(src|packages/api/src|bin)/' },
    },
    {
      name: 'plugin-sources-stay-in-their-plugin',
      severity: 'error',
      comment: "A plugin's src imports only its own files, '@ust-sync/api' and the packages its package.json lists.",
      from: { path: '^plugins/([^/]+)/src/' },
      to: { path: '^(plugins/|test/|bench/)', pathNot: ['^plugins/$1/', 'node_modules'] },
    },
    {
      name: 'plugin-dependencies-are-declared',
      severity: 'error',
      comment: "A plugin's src imports only packages its own package.json lists.",
      from: { path: '^plugins/[^/]+/src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev'] },
    },
    {
      name: 'engine-is-pure',
      severity: 'error',
      comment: 'src/sync is the pure engine: no node: module.',
      from: { path: '^src/sync/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'engine-below-orchestration',
      severity: 'error',
      comment: 'src/sync imports no service, orchestration (src/run), command, plugin loading or composition root.',
      from: { path: '^src/sync/' },
      to: { path: '^src/(services|run|commands|plugins|base-command|composition-root)' },
    },
    {
      name: 'commands-are-thin',
      severity: 'error',
      comment: 'Commands import only services, the base command and the contract (types from elsewhere are fine).',
      from: { path: '^src/commands/' },
      to: {
        path: '^src/',
        pathNot: '^src/(services/|commands/|base-command\\.ts$)',
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/|oclif\\.manifest\\.json' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
}
