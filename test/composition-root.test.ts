import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Config } from '@oclif/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createContainer } from '../src/composition-root.js'
import { PluginRegistry } from '../src/plugins/plugin-registry.js'
import { ConfigService } from '../src/services/config-service.js'
import { InfoService } from '../src/services/info-service.js'
import { PluginService } from '../src/services/plugin-service.js'
import { SyncService } from '../src/services/sync-service.js'
import { ROOT } from './e2e/run-cli.js'

describe('composition root', () => {
  let config: Config
  beforeAll(async () => {
    config = await Config.load(ROOT)
  })

  it('injects constructor dependencies by type (decorator metadata is emitted)', () => {
    const c = createContainer(config)
    const service = c.resolve(ConfigService) as unknown as { plugins: unknown }
    // Without emitDecoratorMetadata tsyringe would silently pass undefined here.
    expect(service.plugins).toBeInstanceOf(PluginService)
    expect(c.resolve(ConfigService)).toBe(c.resolve(ConfigService))
  })

  it('resolves every service a command uses', () => {
    const c = createContainer(config)
    expect(c.resolve(InfoService)).toBeInstanceOf(InfoService)
    expect(c.resolve(SyncService)).toBeInstanceOf(SyncService)
  })

  it('lets a test swap a service before resolving its consumers', async () => {
    const c = createContainer(config)
    const registry = new PluginRegistry()
    registry.forPlugin('@test/stub').register({
      kind: 'target',
      id: 'swapped',
      description: 'test double',
      connector: { schema: { type: 'object' } },
      create: () => {
        throw new Error('not used')
      },
    })
    const swapped = Object.assign(Object.create(PluginService.prototype) as PluginService, {
      registry: async () => registry,
      describe: async () => [],
    })
    c.registerInstance(PluginService, swapped)
    const info = await c.resolve(InfoService).info({ cwd: '/' })
    expect(info.plugins).toEqual([])
    expect(info.ust.version).toBe(config.version)
  })

  it('registers every injectable class of src/ (one instance per run)', async () => {
    const c = createContainer(config)
    const files = (await readdir(join(ROOT, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'))
    const injectables: string[] = []
    for (const file of files) {
      const text = await readFile(join(ROOT, 'src', file), 'utf8')
      for (const match of text.matchAll(/@injectable\(\)\s*export class (\w+)/g)) {
        const module = (await import(join(ROOT, 'src', file))) as Record<string, unknown>
        const service = module[match[1] as string] as new (...args: never[]) => unknown
        injectables.push(match[1] as string)
        expect(c.isRegistered(service), `${match[1]} (${file}) is registered in the composition root`).toBe(true)
        expect(c.resolve(service)).toBe(c.resolve(service))
      }
    }
    expect(injectables.length).toBe(15)
  })

  it('gives each command run its own container (no state shared between runs)', () => {
    expect(createContainer(config).resolve(PluginService)).not.toBe(createContainer(config).resolve(PluginService))
  })
})
