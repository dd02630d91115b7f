import type { Hook } from '@oclif/core'
import { ExitCode } from '@ust-sync/api'
import { allowListOf } from '../allow-list.js'
import { loadPlugins } from '../load-plugins.js'
import { pluginProblems } from '../plugin-problems.js'
import { installState } from './install-state.js'

/**
 * After `ust plugins install`: loads every plugin as a command would, and fails the install (exit 5,
 * `plugin`) when the plugin just installed cannot be used — its register hook threw or timed out, it was
 * built for another contract version, it does not provide what it declares, one of its ids is also
 * registered by another plugin, or it is not on the allow-list. The plugin stays installed; the message
 * says how to remove it. Problems of other plugins are warnings.
 */
const hook: Hook<'plugins:postinstall'> = async function ({ config }) {
  const fresh = new Set(
    config
      .getPluginsList()
      .map((p) => p.name)
      .filter((name) => !installState.before.has(name) || installState.requested.has(name)),
  )
  const registry = await loadPlugins(config as unknown as Parameters<typeof loadPlugins>[0], {
    allow: allowListOf(process.env, undefined),
  })
  const { own, others } = pluginProblems(registry, fresh)
  for (const line of others) this.warn(`plugin ${line}`)
  if (own.length === 0) return
  const names = [...fresh].join(', ')
  this.error(
    `The plugin was installed but cannot be used:\n${own.map((l) => `  ${l}`).join('\n')}\nRemove it with: ust plugins uninstall ${names}`,
    { exit: ExitCode.plugin },
  )
}

export default hook
