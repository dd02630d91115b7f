import type { Config } from '@oclif/core'

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
