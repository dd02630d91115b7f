#!/usr/bin/env -S node --max-semi-space-size=8
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

// `ust sync` holds a whole directory and org in memory. V8 sizes its young generation from the machine's RAM
// (up to 128 MB on a 24 GiB host) and keeps what it grew to; 8 MB semi-spaces keep a sync smaller (with the
// heap growth limit the sync sets itself, src/run/heap-growth.ts: 100k users 484 -> 231 MiB; 1M 1782 -> ~1100-1200
// MiB) for ~5% more CPU (npm run bench:sync, docs/benchmarks.md). V8 reads this flag only when it starts, so
// it is given where Node is started: the line above (`env -S`, which npm's Windows shims read too) and the
// self-contained package's launchers. Started some other way (`node bin/run.js sync`), a sync starts itself
// again once, in place, with it (process.execve: same PID, stdio and environment; ~0.1 s of CPU), except on
// Windows, which has no execve.
const HEAP_FLAGS = ['--max-semi-space-size=8']
const first = process.argv[2]
const isSync = first === 'sync' || (first?.startsWith('-') && !['-h', '--help', '-v', '--version'].includes(first))
const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`
const flagged = given.includes('semi-space-size')
if (isSync && !flagged && typeof process.execve === 'function' && process.platform !== 'win32') {
  const script = process.argv[1] ?? new URL(import.meta.url).pathname
  const argv = [process.execPath, ...HEAP_FLAGS, ...process.execArgv, script, ...process.argv.slice(2)]
  process.execve(process.execPath, argv, process.env)
}

// A reader that stops early (`ust info | head -1`) closes the pipe: what is left to print is dropped and the
// command goes on to its end and its own exit code, instead of a crash or a hang on a write that cannot finish.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
    stream.write = (_chunk, encoding, callback) => {
      const done = typeof encoding === 'function' ? encoding : callback
      if (typeof done === 'function') queueMicrotask(() => done())
      return true
    }
    stream.emit('drain')
  })
}

// V8 code cache for every module loaded after this line (start-up is mostly compiling modules).
const { enableCompileCache } = await import('./compile-cache.js')
enableCompileCache()

await import('reflect-metadata')
// oclif's parts by subpath: its index also loads semver (47 files) to check the Node version, done above.
const { Config, Plugin } = await import('@oclif/core/config')
const { execute } = await import('@oclif/core/execute')
const { enforceCommandPolicy, enforceHookPolicy } = await import('../dist/plugins/hook-policy.js')

// Third-party plugins' oclif hooks other than ust:register are never run, and their command files are
// never loaded (src/plugins/hook-policy.ts).
enforceHookPolicy(Config)
enforceCommandPolicy(Plugin)

// As UST's `user-sync`: sync is the default command, so `ust --process-groups -t` runs `ust sync …`.
const args = process.argv.slice(2)
if (args[0] === '-v') args[0] = '--version'
if (args[0]?.startsWith('-') && !['-h', '--help', '-v', '--version'].includes(args[0])) args.unshift('sync')

await execute({ args, dir: import.meta.url })

// The command's work is done (an error has already ended the process with its exit code). A plugin may have
// left a timer or a socket open that would keep the process alive for ever: end it now, once what was
// written to stdout and stderr has been handed to the OS.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))))
process.exit()
