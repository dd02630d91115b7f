import { API_VERSION } from '@ust-sync/api'
import { VERSIONS } from '../versions.js'
import type { Kind, PluginOptions } from '../options.js'

/** The key of `"ust": {"provides"}` for each kind. */
export const PROVIDES: Record<Kind, string> = {
  source: 'identitySources',
  target: 'targets',
  backend: 'credentialBackends',
  'mapping-hook': 'mappingHooks',
}

const WHAT: Record<Kind, string> = {
  source: 'identity source',
  target: 'target',
  backend: 'credential backend',
  'mapping-hook': 'mapping hook',
}

/** One line for `ust info` and npm. */
export function describe(options: PluginOptions): string {
  return `ust ${WHAT[options.kind]} ${options.id}`
}

/** package.json of the generated plugin. */
export function packageJson(options: PluginOptions): string {
  const ts = options.lang === 'ts'
  const pjson = {
    name: options.name,
    version: '0.1.0',
    description: describe(options),
    type: 'module',
    license: 'MIT',
    keywords: ['ust-plugin'],
    files: ts ? ['dist'] : ['register.js'],
    engines: { node: '>=24' },
    scripts: ts
      ? { build: 'tsc -p tsconfig.json', prepack: 'npm run build', test: 'vitest run' }
      : { test: 'vitest run' },
    ust: { apiVersion: API_VERSION, provides: { [PROVIDES[options.kind]]: [options.id] } },
    oclif: { hooks: { 'ust:register': ts ? './dist/register.js' : './register.js' } },
    dependencies: { '@ust-sync/api': VERSIONS.api },
    devDependencies: {
      ...(ts ? { '@types/node': VERSIONS.typesNode } : {}),
      '@ust-sync/plugin-testkit': VERSIONS.testkit,
      ...(ts ? { typescript: VERSIONS.typescript } : {}),
      vitest: VERSIONS.vitest,
    },
  }
  return `${JSON.stringify(pjson, null, 2)}\n`
}

/** tsconfig.json of a TypeScript plugin. */
export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      declaration: true,
      skipLibCheck: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  },
  null,
  2,
)}\n`

/** README of the generated plugin: how to test, try and publish it. */
export function readme(options: PluginOptions): string {
  const build = options.lang === 'ts' ? 'npm install && npm run build' : 'npm install'
  return `# ${options.name}

${describe(options)}, made with \`npm create ust-plugin\`. Guide: ust's docs/plugins.md.

\`\`\`sh
${build}
npm test                      # the ust conformance kit (@ust-sync/plugin-testkit)
ust plugins link .            # try it: ust info lists "${options.id}"
ust plugins unlink ${options.name}
\`\`\`

\`ust plugins link\` uses this directory as it is: run \`npm install\` here first (ust does not), and build
again after each change. Publish with \`npm publish\`; users install it with \`ust plugins install ${options.name}\`.
`
}
