/**
 * `npm run version:set -- X.Y.Z`: sets the version of ust-sync and of every workspace package to X.Y.Z and
 * every range between them to ^X.Y.Z (they are released in step), then refreshes package-lock.json.
 * `npm run version:set -- --check` only reports packages out of step (exit 1).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DEP_SECTIONS, lockstepProblems, ROOT, repoPackages, save } from './workspaces.ts'

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/
const arg = process.argv[2]
const pkgs = await repoPackages()

if (arg === '--check') {
  const problems = lockstepProblems(pkgs)
  for (const problem of problems) console.error(problem)
  if (problems.length > 0) {
    console.error('Packages are out of step: run `npm run version:set -- X.Y.Z`.')
    process.exit(1)
  }
  console.log(`${pkgs.length} packages at ${pkgs[0]!.json.version}`)
  process.exit(0)
}
if (!arg || !SEMVER.test(arg)) {
  console.error(`usage: npm run version:set -- X.Y.Z   (got ${arg === undefined ? 'no version' : `"${arg}"`})`)
  process.exit(2)
}

const names = new Set(pkgs.map((p) => p.json.name))
for (const pkg of pkgs) {
  pkg.json.version = arg
  for (const section of DEP_SECTIONS) {
    const deps = pkg.json[section]
    if (!deps) continue
    for (const name of Object.keys(deps)) if (names.has(name)) deps[name] = `^${arg}`
  }
  save(pkg)
  console.log(`${pkg.json.name} ${arg}`)
}
// The lockfile records workspace versions and ranges; refresh it without touching node_modules.
if (existsSync(join(ROOT, 'package-lock.json'))) {
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
}
