/**
 * Architecture rules (docs/architecture.md), checked by `npm run lint` (depcruise). Type-only imports
 * count as dependencies (tsPreCompilationDeps), except where a rule says otherwise. npm packages and build
 * output (dist/) are not cruised but are seen (doNotFollow, not exclude), so a rule can name an npm edge
 * or bin's import of the built core.
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
      name: 'test-servers-stand-alone',
      severity: 'error',
      comment:
        'The test servers (packages/test-servers) import nothing of the core, the plugins, the tests or the benchmarks.',
      from: { path: '^packages/test-servers/' },
      to: { path: '^(src|bin|plugins|test|bench|scripts)/' },
    },
    {
      name: 'test-servers-by-name',
      severity: 'error',
      comment: "Tests and benchmarks import the test servers as '@ust-sync/test-servers', never by path.",
      from: { path: '^(plugins/[^/]+/test|test|bench)/' },
      to: { path: '^packages/test-servers/', dependencyTypes: ['local'], dependencyTypesNot: ['aliased-workspace'] },
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
      name: 'lower-layers-below-services',
      severity: 'error',
      comment:
        'The layers below the services (credentials, init, log, config, network, run, sync) import no service, ' +
        'no container token, no composition root and no command: what they need is passed in.',
      from: { path: '^src/(credentials|init|log|config|network|run|sync)/' },
      to: { path: '^src/(services/|commands/|tokens\\.ts$|composition-root\\.ts$|base-command\\.ts$)' },
    },
    {
      name: 'log-below-run',
      severity: 'error',
      comment: 'src/log sits below the orchestration in src/run and imports none of it.',
      from: { path: '^src/log/' },
      to: { path: '^src/run/' },
    },
    {
      name: 'fs-is-neutral',
      severity: 'error',
      comment: 'src/fs (private and atomic file writes) is used by every layer and imports nothing else of the core.',
      from: { path: '^src/fs/' },
      to: { path: '^src/', pathNot: '^src/fs/' },
    },
    {
      name: 'bin-reaches-the-core-through-its-hook-policy',
      severity: 'error',
      comment:
        'bin/ runs the built core: of dist/ it imports only the plugin hook policy (built from ' +
        'src/plugins/hook-policy.ts), loaded before oclif runs any hook; everything else goes through oclif.',
      from: { path: '^bin/' },
      to: { path: '(^|/)dist/', pathNot: '(^|/)dist/plugins/hook-policy\\.js$' },
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
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    exclude: { path: 'oclif\\.manifest\\.json' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
}
