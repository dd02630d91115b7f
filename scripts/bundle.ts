/**
 * Build step (`npm run build`, after tsc and compile-schemas): bundles the core's tsc output so a command
 * loads a handful of files instead of hundreds. Every file oclif or bin/run.js loads by path stays where it
 * is (dist/commands/**, dist/plugins/hooks/*, dist/plugins/hook-policy.js): each becomes an esbuild entry
 * point, with the code they share split into dist/chunks/. Bundled in: ust's own code and the small
 * packages only the core uses (yaml, tsyringe, csv-parse); left as imports: @oclif/* and
 * @ust-sync/api (one instance shared with oclif and the plugins), native and lazily loaded packages.
 * The input is tsc's JavaScript (decorator metadata already emitted for tsyringe), not the TypeScript.
 */
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { ROOT } from './workspaces.ts'

const DIST = join(ROOT, 'dist')
/** Packages bundled into ust's chunks; every other package is imported at run time as before. */
const BUNDLED = new Set(['yaml', 'tsyringe', 'tslib', 'csv-parse'])

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return filesUnder(path)
    return path.endsWith('.js') ? [path] : []
  })
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')

/** Bare imports stay imports unless their package is in {@link BUNDLED}. */
const externals: Plugin = {
  name: 'ust-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || !BUNDLED.has(packageOf(args.path))
        ? { path: args.path, external: true }
        : undefined,
    )
  },
}

const entryPoints = [
  ...filesUnder(join(DIST, 'commands')),
  ...filesUnder(join(DIST, 'plugins', 'hooks')),
  join(DIST, 'plugins', 'hook-policy.js'),
]
rmSync(join(DIST, 'chunks'), { recursive: true, force: true })
const result = await build({
  entryPoints,
  outdir: DIST,
  outbase: DIST,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS (tsyringe, cosmiconfig) calls require() for node's modules.
  banner: {
    js: "import { createRequire as __ustRequire } from 'node:module'; const require = __ustRequire(import.meta.url);",
  },
  plugins: [externals],
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
})
const outputs = Object.keys(result.metafile.outputs)
console.log(
  `bundled ${entryPoints.length} entry points into ${outputs.length} files (${outputs.filter((o) => relative(DIST, o).startsWith('chunks')).length} chunks)`,
)
