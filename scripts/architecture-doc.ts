/**
 * Draws the diagram of docs/architecture.md from the dependency-cruiser graph: the core's folders, the
 * contract and the first-party plugins, folded to one node each, as a Mermaid flowchart. An arrow is an
 * import; a dotted arrow is made of type-only imports.
 *
 *   npm run docs:architecture        rewrites the diagram between the markers in docs/architecture.md
 *
 * test/docs/architecture-doc.test.ts draws it again and fails when the committed one is stale.
 * Self-contained (node: modules only) so that the test can import it.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const ARCHITECTURE_DOC_PATH = join(ROOT, 'docs/architecture.md')
const START = '<!-- architecture-diagram:start (npm run docs:architecture) -->'
const END = '<!-- architecture-diagram:end -->'

interface CruisedDependency {
  module: string
  resolved: string
  dependencyTypes: string[]
}

interface CruisedModule {
  source: string
  dependencies: CruisedDependency[]
}

/** The part a file or import belongs to, or undefined for what the diagram leaves out (npm, node:). */
export function partOf(path: string): string | undefined {
  if (path === '@ust-sync/api' || path.startsWith('@ust-sync/api/') || path.startsWith('packages/api/')) {
    return '@ust-sync/api'
  }
  const plugin = /^(?:plugins\/|@ust-sync\/plugin-)([^/]+)/.exec(path)
  if (plugin) return `plugins/${plugin[1]}`
  const core = /^src\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path)
  return core ? `src/${core[1]}` : undefined
}

/** The folded graph as a Mermaid flowchart (sorted, so the same code gives the same text). */
export function renderDiagram(modules: CruisedModule[]): string {
  const edges = new Map<string, boolean>() // "from\tto" -> every import behind it is type-only
  const parts = new Set<string>()
  for (const m of modules) {
    const from = partOf(m.source)
    if (!from) continue
    parts.add(from)
    for (const d of m.dependencies) {
      const to = partOf(d.module.startsWith('.') ? d.resolved : d.module)
      if (!to || to === from) continue
      parts.add(to)
      const key = `${from}\t${to}`
      const typeOnly = d.dependencyTypes.includes('type-only')
      edges.set(key, (edges.get(key) ?? true) && typeOnly)
    }
  }
  const id = (part: string) => part.replaceAll(/[^A-Za-z0-9]/g, '_')
  const sorted = [...parts].sort()
  const lines = ['```mermaid', 'flowchart TB']
  for (const [group, prefix] of [
    ['core (ust-sync)', 'src/'],
    ['first-party plugins', 'plugins/'],
  ] as const) {
    lines.push(`  subgraph ${id(group)} ["${group}"]`)
    for (const part of sorted.filter((p) => p.startsWith(prefix))) {
      lines.push(`    ${id(part)}["${part.slice(prefix.length)}"]`)
    }
    lines.push('  end')
  }
  lines.push(`  ${id('@ust-sync/api')}(["@ust-sync/api"])`)
  for (const [key, typeOnly] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
    const [from = '', to = ''] = key.split('\t')
    lines.push(`  ${id(from)} ${typeOnly ? '-.->' : '-->'} ${id(to)}`)
  }
  lines.push('```')
  return lines.join('\n')
}

/** Cruises the core, the contract and every first-party plugin's src with the repository's rules config. */
export function cruiseParts(): CruisedModule[] {
  const plugins = readdirSync(join(ROOT, 'plugins')).map((name) => `plugins/${name}/src`)
  const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs')
  const args = ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'src', 'packages/api/src', ...plugins]
  const json = execFileSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })
  return (JSON.parse(json) as { modules: CruisedModule[] }).modules
}

/** docs/architecture.md with `diagram` between its markers. */
export function withDiagram(doc: string, diagram: string): string {
  const start = doc.indexOf(START)
  const end = doc.indexOf(END)
  if (start < 0 || end < start) throw new Error(`docs/architecture.md lacks the markers ${START} … ${END}`)
  return `${doc.slice(0, start + START.length)}\n${diagram}\n${doc.slice(end)}`
}

if (import.meta.main) {
  const doc = readFileSync(ARCHITECTURE_DOC_PATH, 'utf8')
  writeFileSync(ARCHITECTURE_DOC_PATH, withDiagram(doc, renderDiagram(cruiseParts())))
  console.log(`wrote the diagram of ${ARCHITECTURE_DOC_PATH}`)
}
