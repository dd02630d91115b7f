/**
 * `npm run release -- [--registry URL] [--tag TAG] [--dry-run] [--userconfig FILE]`: builds once, then
 * publishes every public workspace package and ust-sync, dependencies first (@ust-sync/api, the plugins,
 * ust-sync), so `npm install -g ust-sync` resolves the plugins from the same registry. Packages are
 * discovered from the workspaces, versions must be in step (`npm run version:set`), and a package whose
 * version is already on the registry is skipped, so a failed release can be re-run.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import { buildProblems, lockstepProblems, publishOrder, ROOT, repoPackages } from './workspaces.ts'

const { values } = parseArgs({
  options: {
    registry: { type: 'string' },
    tag: { type: 'string' },
    userconfig: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
})
const npmArgs = [
  ...(values.registry ? ['--registry', values.registry] : []),
  ...(values.userconfig ? ['--userconfig', values.userconfig] : []),
]

const pkgs = await repoPackages()
const problems = lockstepProblems(pkgs)
if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  console.error('Packages are out of step: run `npm run version:set -- X.Y.Z` first.')
  process.exit(1)
}
if (!values['no-build']) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
const unbuilt = buildProblems(pkgs)
if (unbuilt.length > 0) {
  for (const problem of unbuilt) console.error(problem)
  console.error('Run `npm run build` first (or drop --no-build).')
  process.exit(1)
}

for (const pkg of publishOrder(pkgs)) {
  const id = `${pkg.json.name}@${pkg.json.version}`
  const seen = spawnSync('npm', ['view', id, 'version', ...npmArgs], { cwd: pkg.dir, encoding: 'utf8' })
  if (seen.status === 0 && seen.stdout.trim() === pkg.json.version) {
    console.log(`${id} is already published: skipped`)
    continue
  }
  const args = ['publish', '--access', 'public', '--ignore-scripts', ...npmArgs]
  if (values.tag) args.push('--tag', values.tag)
  if (values['dry-run']) args.push('--dry-run')
  execFileSync('npm', args, { cwd: pkg.dir, stdio: ['ignore', 'inherit', 'inherit'] })
  console.log(`${id} published${values['dry-run'] ? ' (dry run)' : ''}`)
}
