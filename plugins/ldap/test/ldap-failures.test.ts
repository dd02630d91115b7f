import tls from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import { type Slapd, startSlapd, SUFFIX } from '@ust-sync/test-servers'
import { ALICE_PASSWORD, dnOf, offlineLdif, onlineLdif } from './fixture-directory.js'
import { baseConfig, failure, read, selection } from './helpers.js'

const servers: Slapd[] = []
const systemCas = tls.getCACertificates('default')
afterEach(async () => {
  tls.setDefaultCACertificates(systemCas)
  await Promise.all(servers.splice(0).map((s) => s.dispose()))
})

async function server(options: Parameters<typeof startSlapd>[0]): Promise<Slapd> {
  const slapd = await startSlapd(options)
  servers.push(slapd)
  return slapd
}

/** Bound as a plain user: the rootdn is exempt from server limits. */
const asAlice = { username: dnOf('alice'), password: ALICE_PASSWORD }

describe('a read that cannot be complete throws (never a partial directory)', () => {
  it('the server size limit is a source error (exit 6) naming server, base and filter', async () => {
    const slapd = await server({ offline: offlineLdif(50), online: onlineLdif(0), sizeLimit: 20 })
    const error = await failure(read(baseConfig(slapd, { ...asAlice, search_page_size: 0 }), selection([], true)))
    expect(error.exitCode).toBe(ExitCode.source)
    expect(error.message).toContain('size limit')
    expect(error.message).toContain(slapd.url)
    expect(error.message).toContain(SUFFIX)
    expect(error.message).toContain('(objectClass=inetOrgPerson)')
  })

  it('paging does not get round the server total limit: still an error, never the first pages only', async () => {
    const slapd = await server({ offline: offlineLdif(50), online: onlineLdif(0), sizeLimit: 20 })
    for (const pageSize of [100, 10]) {
      const error = await failure(
        read(baseConfig(slapd, { ...asAlice, search_page_size: pageSize }), selection([], true)),
      )
      expect(error.exitCode).toBe(ExitCode.source)
      expect(error.message).toContain('size limit')
    }
    const { users } = await read(baseConfig(slapd, { search_page_size: 10 }), selection([], true))
    expect(users).toHaveLength(58)
  })

  it('a referral back into the tree being read is a referral loop (exit 6), with the chain', async () => {
    const slapd = await server({ offline: offlineLdif(0), online: onlineLdif(0) })
    await slapd.ldapadd(
      `dn: ou=elsewhere,${SUFFIX}\nobjectClass: referral\nobjectClass: extensibleObject\nou: elsewhere\nref: ${slapd.url}/${SUFFIX}\n\n`,
    )
    const error = await failure(read(baseConfig(slapd), selection([], true)))
    expect(error.exitCode).toBe(ExitCode.source)
    expect(error.message).toContain('Referral loop')
    expect(error.message).toContain(`${slapd.url}/${SUFFIX} → ${slapd.url}/${SUFFIX}`)
  })

  it('a referral to a server that answers with another referral is a source error', async () => {
    const slapd = await server({ offline: offlineLdif(0), online: onlineLdif(0) })
    await slapd.ldapadd(
      `dn: ou=moved,${SUFFIX}\nobjectClass: referral\nobjectClass: extensibleObject\nou: moved\nref: ${slapd.url}/ou=moved,${SUFFIX}\n\n`,
    )
    const error = await failure(read(baseConfig(slapd), selection([], true)))
    expect(error.exitCode).toBe(ExitCode.source)
    expect(error.message).toMatch(/referral/i)
  })

  it.each([
    ['plain LDAP', false],
    ['StartTLS', true],
  ])(
    'slapd killed in the middle of a paged search (%s): a source error saying the read is incomplete',
    async (_name, startTls) => {
      const slapd = await server({ offline: offlineLdif(20_000), online: onlineLdif(0) })
      tls.setDefaultCACertificates([...systemCas, slapd.caPem])
      // The fault comes once slapd has answered a full page: the paged search is under way.
      const paged = slapd.searchAnswered({ entries: 5 })
      // The failure handler is attached at once: the read may fail before slapd.stop() resolves.
      const reading = failure(
        read(baseConfig(slapd, { search_page_size: 5, require_tls_cert: startTls }), selection([], true)),
      )
      await paged
      await slapd.stop('SIGKILL')
      const error = await reading
      expect(error.exitCode).toBe(ExitCode.source)
      expect(error.message).toContain(slapd.url)
      expect(error.message).toContain('not read completely')
    },
  )
})
