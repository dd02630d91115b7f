import type { Progress } from '@ust-sync/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Slapd, startSlapd } from '@ust-sync/test-servers'
import { ldapSourceDefinition } from '../src/definition.js'
import { offlineLdif, onlineLdif } from './fixture-directory.js'
import { baseConfig, contextFor, type Logged, selection } from './helpers.js'

let slapd: Slapd
beforeAll(async () => {
  slapd = await startSlapd({ offline: offlineLdif(), online: onlineLdif() })
}, 120_000)
afterAll(async () => slapd?.dispose())

/** A progress double: what was started, every tick, and whether the task ended. */
function recorder() {
  const events: string[] = []
  const ticks: number[] = []
  const progress: Progress = {
    start: (label, total) => {
      events.push(`start ${label}${total === undefined ? '' : ` ${total}`}`)
      return {
        tick: (n) => void ticks.push(n),
        waiting: () => void events.push('waiting'),
        end: () => void events.push('end'),
      }
    },
  }
  return { events, ticks, progress }
}

describe('ldap source progress', () => {
  it('ticks its task once per entry as entries arrive, page by page, and ends it', async () => {
    const r = recorder()
    const logged: Logged = { warn: [], debug: [] }
    const source = ldapSourceDefinition.create(baseConfig(slapd, { search_page_size: 500 }), {
      ...contextFor(logged),
      progress: r.progress,
    })
    const { users, warnings } = await source.read(selection(['staff'], true))
    const skipped = warnings.filter((w) => w.startsWith('Skipping user with dn')).length
    expect(r.events).toEqual([`start Reading users from ${slapd.url}`, 'end'])
    expect(r.ticks.every((n) => n === 1)).toBe(true)
    expect(r.ticks).toHaveLength(users.length + skipped)
  })

  it('ends the task when the read fails', async () => {
    const r = recorder()
    const source = ldapSourceDefinition.create(baseConfig(slapd, { password: 'wrong' }), {
      ...contextFor(),
      progress: r.progress,
    })
    await expect(source.read(selection(['staff']))).rejects.toThrow()
    expect(r.events).toEqual([`start Reading users from ${slapd.url}`, 'end'])
    expect(r.ticks).toEqual([])
  })
})
