#!/usr/bin/env node
// ust needs Node 24: its network layer applies proxy and CA settings process-wide with
// http.setGlobalProxyFromEnv and tls.setDefaultCACertificates. Checked before anything else is loaded.
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  process.stderr.write(
    `Error: ust needs Node.js 24 or later; this is Node.js ${process.version} (${process.execPath}).\n` +
      '  → Install Node.js 24 LTS (https://nodejs.org) and run ust with it.\n',
  )
  process.exit(1)
}

// V8 code cache for every module loaded after this line (start-up is mostly compiling modules).
const { enableCompileCache } = await import('./compile-cache.js')
enableCompileCache()

await import('reflect-metadata')
// oclif's parts by subpath: its index also loads semver (47 files) to check the Node version, done above.
const { Config } = await import('@oclif/core/config')
const { execute } = await import('@oclif/core/execute')
const { enforceHookPolicy } = await import('../dist/plugins/hook-policy.js')

// Third-party plugins' oclif hooks other than ust:register are never run (src/plugins/hook-policy.ts).
enforceHookPolicy(Config)

// As UST's `user-sync`: sync is the default command, so `ust --process-groups -t` runs `ust sync …`.
const args = process.argv.slice(2)
if (args[0] === '-v') args[0] = '--version'
if (args[0]?.startsWith('-') && !['-h', '--help', '-v', '--version'].includes(args[0])) args.unshift('sync')

await execute({ args, dir: import.meta.url })
