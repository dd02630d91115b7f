import type { PluginRegistry } from './plugin-registry.js'

/**
 * What makes plugins unusable, as one line each, split into those about `fresh` (the plugins just installed
 * or linked) and the others: a register hook that threw or timed out, another contract version, a plugin
 * not on the allow-list or not loaded, an id registered by two plugins.
 */
export function pluginProblems(
  registry: PluginRegistry,
  fresh: ReadonlySet<string>,
): { own: string[]; others: string[] } {
  const own: string[] = []
  const others: string[] = []
  const file = (plugins: string[], line: string) => (plugins.some((p) => fresh.has(p)) ? own : others).push(line)
  for (const f of registry.failures) file([f.plugin], `${f.plugin} ${f.message}`)
  for (const s of registry.skipped) file([s.plugin], `${s.plugin} was not loaded: ${s.reason}`)
  for (const c of registry.conflicts)
    file(c.plugins, `${c.plugins.join(' and ')} both register the ${c.kind} "${c.id}"; ust will refuse to use it`)
  return { own, others }
}
