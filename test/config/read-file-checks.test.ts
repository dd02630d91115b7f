import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMainFile } from '../../src/config/main-file.js'
import { MAX_CONFIG_FILE_BYTES, readYamlFile, type YamlFailure } from '../../src/config/read-yaml.js'

describe('a config path that is not a regular YAML file is refused at once, never read', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ust-read-checks-'))
    execFileSync('mkfifo', [join(dir, 'fifo.yml')])
    await symlink(join(dir, 'loop-b'), join(dir, 'loop-a'))
    await symlink(join(dir, 'loop-a'), join(dir, 'loop-b'))
    await writeFile(join(dir, 'big.yml'), `a: "${'x'.repeat(MAX_CONFIG_FILE_BYTES)}"\n`)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const messageOf = async (file: string) => ((await readYamlFile(file)) as YamlFailure).issues.map((i) => i.message)

  it('a FIFO (which would block a read forever)', async () => {
    expect(await messageOf(join(dir, 'fifo.yml'))).toEqual(['not a regular file (a device, FIFO or socket)'])
  })
  it('a device such as /dev/urandom (which never ends)', async () => {
    expect(await messageOf('/dev/urandom')).toEqual(['not a regular file (a device, FIFO or socket)'])
  })
  it('a directory and a loop of symbolic links, each named as such', async () => {
    expect(await messageOf(dir)).toEqual(['this is a directory, not a config file'])
    expect(await messageOf(join(dir, 'loop-a'))).toEqual([
      `the path is a loop of symbolic links: ${join(dir, 'loop-a')}`,
    ])
  })
  it('a file larger than any config file', async () => {
    expect(await messageOf(join(dir, 'big.yml'))).toEqual([
      `the file is too large for a config file (${MAX_CONFIG_FILE_BYTES + 6} bytes, at most ${MAX_CONFIG_FILE_BYTES})`,
    ])
  })
  it('as -c, the error names the file and the flag', async () => {
    const main = await readMainFile({ configFile: '/dev/urandom', cwd: dir })
    expect(main.kind).toBe('failed')
    expect(main.kind === 'failed' && main.error.message.split('\n')[0]).toBe(
      'Cannot use the config file /dev/urandom: not a regular file (a device, FIFO or socket)',
    )
  })
})
