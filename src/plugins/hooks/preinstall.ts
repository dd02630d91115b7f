import type { Hook } from '@oclif/core'
import { installState } from './install-state.js'

/** Remembers what was installed before, so `plugins:postinstall` knows which plugin is the new one. */
const hook: Hook<'plugins:preinstall'> = async ({ config, plugin }) => {
  for (const p of config.getPluginsList()) installState.before.add(p.name)
  if (plugin.type === 'npm') installState.requested.add(plugin.name)
}

export default hook
