import {
  type CheckResult,
  type ClientCertificateOptions,
  ConfigError,
  type DirectoryReadResult,
  type IdentitySource,
  type Logger,
  type Progress,
  type SourceSelection,
} from '@ust-sync/api'
import { type ConnectSettings, openConnection, type LdapConnection } from './connection.js'
import { DirectoryReader } from './directory-reader.js'
import type { LdapEntry } from './entry.js'
import { parseHost, type LdapOptions } from './ldap-options.js'
import { followReferrals, type Referral } from './referrals.js'
import { runChecks } from './run-checks.js'
import { searchPages, type SearchContext, type SearchRequest } from './search.js'

/**
 * `additional_groups` rules without `dynamic_group_member_attribute`: the users would carry only the mapped
 * groups they are in, so the rules could never match the others. UST documents the attribute as required
 * when additional_groups is used.
 */
function dynamicGroupsNeedAttribute(): ConfigError {
  return new ConfigError(
    'directory_users.additional_groups needs dynamic_group_member_attribute in connector-ldap.yml: without it the LDAP source reads only the mapped groups each user is in, so the rules would never see the others',
    {
      code: 'config.ldap.dynamic-group-attribute',
      suggestions: [
        'Set dynamic_group_member_attribute: memberOf (or the attribute your directory lists group DNs in) in connector-ldap.yml.',
      ],
    },
  )
}

/**
 * The LDAP / Active Directory identity source. Each `read` opens its own connection, reads everything
 * asked, and closes it; any failure (bind, limit, referral loop, a server going away mid-search) throws,
 * so a partial directory is never returned.
 */
export class LdapSource implements IdentitySource {
  constructor(
    private readonly options: LdapOptions,
    private readonly logger: Logger,
    private readonly tlsVerify: boolean,
    private readonly progress?: Progress,
    /** The client certificate for a host (`network.client_certificates`), from the core's network access. */
    private readonly clientCertificate: (host: string) => ClientCertificateOptions | undefined = () => undefined,
  ) {}

  /**
   * Reads the users of `selection.groups` (each user carries the names of the selected groups it is in,
   * plus, with `dynamic_group_member_attribute`, the names of the groups that attribute lists) and, with
   * `selection.allUsers`, every user matching `all_users_filter`.
   */
  async read(selection: SourceSelection): Promise<DirectoryReadResult> {
    if (selection.memberGroups && !this.options.dynamicGroupAttribute) throw dynamicGroupsNeedAttribute()
    if (!this.tlsVerify && (this.options.url.secure || this.options.startTls)) {
      this.logger.warn(`TLS certificate of ${this.options.url.text} is not verified (ssl_cert_verify is False)`)
    }
    const task = this.progress?.start(`Reading users from ${this.options.url.text}`)
    const opened: LdapConnection[] = []
    try {
      const connection = await this.connect(this.options)
      opened.push(connection)
      const context = this.searchContext(connection, [`${connection.server}/${this.options.baseDn}`], opened)
      const reader = new DirectoryReader(context, this.options, this.logger, selection.extendedAttributes, task)
      if (selection.allUsers) await reader.readAllUsers()
      await reader.readGroups(selection.groups, await this.secondLane(selection, opened))
      const users = reader.users()
      this.logger.debug(`ldap: ${users.length} users read from ${connection.server}`)
      return { users, warnings: reader.warnings }
    } finally {
      task?.end()
      await Promise.all(opened.map((open) => open.close()))
    }
  }

  /**
   * A second connection for reading groups by member filter: one group is searched on it while the
   * previous group's entries are read, so neither ust nor the server waits for the other (a round trip
   * per group, hundreds of groups). Not opened for a single group or the two-step lookup. When it cannot be
   * opened (a server or firewall that allows one connection per account), the groups are read one at a
   * time on the first, as UST reads them, with a warning.
   */
  private async secondLane(selection: SourceSelection, opened: LdapConnection[]): Promise<SearchContext | undefined> {
    if (selection.groups.length < 2 || this.options.membership.kind !== 'filter') return undefined
    // The first connection has warned about anything worth saying (an unencrypted bind): not twice.
    const { logger } = this
    const quiet: Logger = {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: () => undefined,
      error: (m) => logger.error(m),
    }
    const settings = { ...this.connectSettings(this.options), logger: quiet }
    const connection = await openConnection(this.options, settings).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error)
      logger.warn(
        `A second connection to ${this.options.url.text} failed (${reason}); reading the groups one at a time`,
      )
      return undefined
    })
    if (!connection) return undefined
    opened.push(connection)
    return this.searchContext(connection, [`${connection.server}/${this.options.baseDn}`], opened)
  }

  /** `ust net check`: connect, TLS, bind and a search of base_dn, each reported. */
  check(): Promise<CheckResult[]> {
    return runChecks(this.options, this.connectSettings(this.options))
  }

  private connect(options: LdapOptions): Promise<LdapConnection> {
    return openConnection(options, this.connectSettings(options))
  }

  private connectSettings(options: LdapOptions): ConnectSettings {
    const clientCertificate = this.clientCertificate(options.url.host)
    return { tlsVerify: this.tlsVerify, logger: this.logger, ...(clientCertificate ? { clientCertificate } : {}) }
  }

  private searchContext(connection: LdapConnection, trail: string[], opened: LdapConnection[]): SearchContext {
    return {
      client: connection.client,
      server: connection.server,
      pageSize: this.options.pageSize,
      encoding: this.options.encoding,
      lost: connection.lost,
      followReferences: (urls, request) =>
        followReferrals(urls, request, trail, (referral, next, nextTrail) =>
          this.searchReferral(referral, next, nextTrail, opened),
        ),
    }
  }

  private async *searchReferral(
    referral: Referral,
    request: SearchRequest,
    trail: string[],
    opened: LdapConnection[],
  ): AsyncGenerator<LdapEntry[]> {
    this.logger.debug(`ldap: following referral to ${referral.server}/${request.base}`)
    const connection = await this.connect({ ...this.options, url: parseHost(referral.server) })
    opened.push(connection)
    yield* searchPages(this.searchContext(connection, trail, opened), request)
  }
}
