/**
 * The packages this repository publishes: the root `ust-sync` and every npm workspace (`packages/*`,
 * `plugins/*`), discovered from the root package.json's `workspaces` globs so new packages need no edit here.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { glob } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The package.json fields these scripts read or write. */
export interface PackageJson {
  name: string
  version: string
  private?: boolean
  workspaces?: string[]
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  [key: string]: unknown
}

/** One package of the repository. */
export interface RepoPackage {
  /** Absolute directory. */
  dir: string
  /** Path of its package.json. */
  file: string
  json: PackageJson
}

/** Dependency sections whose ranges on our own packages are kept in step. */
export const DEP_SECTIONS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const

function load(dir: string): RepoPackage {
  const file = join(dir, 'package.json')
  return { dir, file, json: JSON.parse(readFileSync(file, 'utf8')) as PackageJson }
}

/** Writes a package.json back in npm's format (2-space indent, trailing newline). */
export function save(pkg: RepoPackage): void {
  writeFileSync(pkg.file, `${JSON.stringify(pkg.json, null, 2)}\n`)
}

/** The root package followed by every workspace, sorted by directory. */
export async function repoPackages(root = ROOT): Promise<RepoPackage[]> {
  const rootPkg = load(root)
  const dirs: string[] = []
  for (const pattern of rootPkg.json.workspaces ?? []) {
    for await (const file of glob(`${pattern}/package.json`, { cwd: root })) dirs.push(join(root, dirname(file)))
  }
  return [rootPkg, ...dirs.sort().map(load)]
}

/** Names of our own packages' dependencies on each other. */
function internalDeps(pkg: RepoPackage, names: Set<string>): string[] {
  const deps = new Set<string>()
  for (const section of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
    for (const name of Object.keys(pkg.json[section] ?? {})) if (names.has(name)) deps.add(name)
  }
  return [...deps]
}

/**
 * The public packages in an order where each comes after the packages it depends on (so a registry
 * never sees a package before its dependencies): `@ust-sync/api` first, the plugins, `ust-sync` last.
 */
export function publishOrder(pkgs: RepoPackage[]): RepoPackage[] {
  const pub = pkgs.filter((p) => !p.json.private)
  const byName = new Map(pub.map((p) => [p.json.name, p]))
  const names = new Set(byName.keys())
  const ordered: RepoPackage[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (pkg: RepoPackage, path: string[]) => {
    const name = pkg.json.name
    if (state.get(name) === 'done') return
    if (state.get(name) === 'visiting')
      throw new Error(`dependency cycle between packages: ${[...path, name].join(' -> ')}`)
    state.set(name, 'visiting')
    for (const dep of internalDeps(pkg, names)) visit(byName.get(dep)!, [...path, name])
    state.set(name, 'done')
    ordered.push(pkg)
  }
  for (const pkg of pub) visit(pkg, [])
  return ordered
}

/** Packages whose version differs from the root's, or whose ranges on our packages do not name it. */
export function lockstepProblems(pkgs: RepoPackage[]): string[] {
  const version = pkgs[0]!.json.version
  const names = new Set(pkgs.map((p) => p.json.name))
  const problems: string[] = []
  for (const pkg of pkgs) {
    if (pkg.json.version !== version) problems.push(`${pkg.json.name} is at ${pkg.json.version}, not ${version}`)
    for (const section of DEP_SECTIONS) {
      for (const [name, range] of Object.entries(pkg.json[section] ?? {})) {
        if (names.has(name) && range !== `^${version}`) {
          problems.push(`${pkg.json.name} ${section}.${name} is "${range}", not "^${version}"`)
        }
      }
    }
  }
  return problems
}

/**
 * Problems that stop packing or publishing what `npm run build` produced: a package without `dist/`, or an
 * `oclif.manifest.json` missing or of another version (oclif trusts a manifest of the same version).
 * The scripts pack with `--ignore-scripts` after building once, so parallel packs never rewrite the manifest.
 */
export function buildProblems(pkgs: RepoPackage[]): string[] {
  const problems = publishOrder(pkgs)
    .filter((p) => !existsSync(join(p.dir, 'dist')))
    .map((p) => `${p.json.name} is not built (no ${join(p.dir, 'dist')})`)
  const manifest = join(pkgs[0]!.dir, 'oclif.manifest.json')
  if (!existsSync(manifest)) problems.push(`${manifest} is missing`)
  else {
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }
    if (version !== pkgs[0]!.json.version)
      problems.push(`${manifest} is for version ${version}, not ${pkgs[0]!.json.version}`)
  }
  return problems
}
