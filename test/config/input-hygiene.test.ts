import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { configErrorOf } from './expect-config-error.js'
import { fakeSchemas } from './fake-schemas.js'

const UMAPI = [
  'enterprise:',
  '  org_id: "0123456789ABCDEF01234567@AdobeOrg"',
  '  client_id: abc',
  '  client_secret: plain-secret',
].join('\n')
const MAIN = 'adobe_users:\n  connectors:\n    umapi: connector-umapi.yml\n'

describe('config input hygiene', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ust-hygiene-'))
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))
  const load = () => loadConfig({ cwd: dir, schemas: fakeSchemas })

  it('a YAML alias bomb is a config error naming the file, not a crash or a hang', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const prev = i === 0 ? 'a' : ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'][i - 1]
      bomb.push(`${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`)
    }
    await writeFile(join(dir, 'user-sync-config.yml'), `${MAIN}${bomb.join('\n')}\n`)
    await writeFile(join(dir, 'connector-umapi.yml'), UMAPI)
    const error = await configErrorOf(load())
    expect(error.issues[0]?.file).toBe(join(dir, 'user-sync-config.yml'))
    expect(error.message).toMatch(/user-sync-config\.yml.*cannot be loaded/)
  })

  it('$(...) in a connector file is refused, as in the main file', async () => {
    await writeFile(join(dir, 'user-sync-config.yml'), MAIN)
    await writeFile(join(dir, 'connector-umapi.yml'), UMAPI.replace('plain-secret', '"$(cat /etc/secret)"'))
    const error = await configErrorOf(load())
    expect(error.issues).toContainEqual(
      expect.objectContaining({
        file: join(dir, 'connector-umapi.yml'),
        path: 'enterprise.client_secret',
        message: 'Shell execution is no longer supported',
      }),
    )
  })

  it('a FIFO given as a connector or main file is refused, not waited on', async () => {
    await writeFile(join(dir, 'user-sync-config.yml'), MAIN)
    execFileSync('mkfifo', [join(dir, 'connector-umapi.yml')])
    const error = await configErrorOf(load())
    expect(error.message).toContain('connector-umapi.yml')

    const main = join(dir, 'main.fifo.yml')
    execFileSync('mkfifo', [main])
    const fifoMain = await configErrorOf(loadConfig({ cwd: dir, configFile: main, schemas: fakeSchemas }))
    expect(fifoMain.message).toContain('main.fifo.yml')
  }, 10_000)
})
