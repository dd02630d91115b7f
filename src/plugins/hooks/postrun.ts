import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Hook } from '@oclif/core'

/**
 * After `ust plugins link PATH`: loads every plugin as a command would and warns when the plugin just linked
 * cannot be used (its register hook threw or timed out, it was built for another contract version, it does
 * not provide what it declares, an id conflicts, it is not on the allow-list), so its author sees it at once
 * rather than at the next sync. The link stays and the exit code is 0: linking is the development loop
 * (`plugins install` fails instead, see postinstall.ts). Any other command returns at once, before
 * anything is loaded (this hook runs after every command).
 */
const hook: Hook<'postrun'> = async function ({ Command, argv, config }) {
  if (Command?.id !== 'plugins:link') return
  const path = argv.find((arg) => !arg.startsWith('-'))
  if (!path) return
  const name = await readFile(resolve(path, 'package.json'), 'utf8').then(
    (text) => (JSON.parse(text) as { name?: unknown }).name,
    () => undefined,
  )
  if (typeof name !== 'string') return
  const [{ Config }, { allowListOf }, { loadPlugins }, { pluginProblems }] = await Promise.all([
    import('@oclif/core/config'),
    import('../allow-list.js'),
    import('../load-plugins.js'),
    import('../plugin-problems.js'),
  ])
  // oclif does not add a linked plugin to this process's configuration: load it again from disk.
  const linked = await Config.load(config.root)
  const registry = await loadPlugins(linked as unknown as Parameters<typeof loadPlugins>[0], {
    allow: allowListOf(process.env, undefined),
  })
  const { own } = pluginProblems(registry, new Set([name]))
  if (own.length > 0)
    this.warn(`The plugin was linked but cannot be used yet:\n${own.map((line) => `  ${line}`).join('\n')}`)
}

export default hook
