import type { Config, Plugin } from '@oclif/core'

/** The only oclif hooks a plugin that is not part of ust may contribute. */
const ALLOWED_THIRD_PARTY_HOOKS = new Set(['ust:register'])

type HookMap = Record<string, unknown[]>
type PluginLike = { type: string; hooks?: HookMap; pjson: { oclif?: { hooks?: Record<string, unknown> } } }

/**
 * oclif hooks a third-party plugin declares that ust does not run (`init`, `prerun`,
 * `plugins:postinstall`, ...): only `ust:register` is run, and by ust itself.
 */
export function ignoredHooksOf(plugin: PluginLike): string[] {
  if (plugin.type === 'core') return []
  return Object.keys(plugin.pjson.oclif?.hooks ?? {}).filter((event) => !ALLOWED_THIRD_PARTY_HOOKS.has(event))
}

/** Removes from every non-core plugin the hooks of {@link ignoredHooksOf}. */
function restrict(config: Config): void {
  for (const plugin of config.getPluginsList() as unknown as PluginLike[]) {
    if (plugin.type === 'core' || !plugin.hooks) continue
    for (const event of Object.keys(plugin.hooks)) if (!ALLOWED_THIRD_PARTY_HOOKS.has(event)) delete plugin.hooks[event]
  }
}

/**
 * Makes oclif run only core plugins' hooks (plus `ust:register`, which ust runs itself with a time limit).
 * A third-party plugin's `init` hook would otherwise run before every command, `plugins uninstall`
 * included, with the power to end the process (a `process.exit(0)` there made every command a silent
 * no-op). oclif has no setting for this, so `Config.prototype.runHook` is wrapped once, at start-up in
 * bin/run.js: before each hook event, hooks of non-core plugins are dropped. This also covers a plugin
 * installed during the run (oclif adds it and then runs `plugins:postinstall`).
 */
export function enforceHookPolicy(ConfigClass: typeof Config): void {
  const proto = ConfigClass.prototype as unknown as {
    runHook: (this: Config, ...args: unknown[]) => Promise<unknown>
    __ustHookPolicy?: boolean
  }
  if (proto.__ustHookPolicy) return
  const original = proto.runHook
  proto.runHook = function (this: Config, ...args: unknown[]) {
    restrict(this)
    return original.apply(this, args)
  }
  proto.__ustHookPolicy = true
}

type PluginPrototype = {
  _manifest: (this: PluginLike & { version: string; commandIDs: string[] }) => Promise<unknown>
  __ustCommandPolicy?: boolean
}

/**
 * Makes oclif load no command from a plugin that is not part of ust. A ust plugin contributes through its
 * `ust:register` hook only; oclif would otherwise import every command file of a linked plugin (which has
 * no manifest) on every `ust` command, running its top-level code even when the allow-list excludes the
 * plugin. `Plugin.prototype._manifest` (where oclif reads or builds the command list) is wrapped once, at
 * start-up in bin/run.js: a non-core plugin gets an empty command list, and nothing of it is imported.
 */
export function enforceCommandPolicy(PluginClass: typeof Plugin): void {
  const proto = PluginClass.prototype as unknown as PluginPrototype
  if (proto.__ustCommandPolicy) return
  const original = proto._manifest
  proto._manifest = function (this: PluginLike & { version: string; commandIDs: string[] }) {
    if (this.type === 'core') return original.call(this)
    this.commandIDs = []
    return Promise.resolve({ version: this.version, commands: {} })
  }
  proto.__ustCommandPolicy = true
}
