import type { Hook } from '@oclif/core'
import { isAllowed } from '../allow-list.js'
import { installState } from './install-state.js'

/**
 * Package names (globs, comma-separated) whose npm install scripts may run; for a `file:` or git install,
 * the URL as given. Unset: no install script runs.
 */
export const INSTALL_SCRIPTS_ENV = 'UST_PLUGIN_INSTALL_SCRIPTS'

/**
 * Remembers what was installed before, so `plugins:postinstall` knows which plugin is the new one, and
 * turns npm's install scripts off (`npm_config_ignore_scripts`, which the npm that oclif spawns inherits)
 * unless the administrator allowed them for this package: `ust plugins install` often runs as root, and a
 * plugin needs no script to be installed (its code is built before it is published).
 */
const hook: Hook<'plugins:preinstall'> = async ({ config, plugin }) => {
  for (const p of config.getPluginsList()) installState.before.add(p.name)
  if (plugin.type === 'npm') installState.requested.add(plugin.name)
  const requested = plugin.type === 'npm' ? plugin.name : plugin.url
  const allowed = (process.env[INSTALL_SCRIPTS_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (!isAllowed(requested, allowed)) process.env.npm_config_ignore_scripts = 'true'
}

export default hook
