import { defineIdentitySource, type IdentitySource } from '@ust-sync/api'
import { ldapConnectorSchema } from './connector-schema.js'
import { ldapOptionsFrom } from './ldap-options.js'
import type { LdapSource } from './ldap-source.js'

/**
 * The `ldap` identity source: users and groups from an LDAP directory or Active Directory, configured by
 * UST's `connector-ldap.yml`. It is UST's default connector (`--connector ldap`).
 */
export const ldapSourceDefinition = defineIdentitySource({
  id: 'ldap',
  description: 'Users and groups from LDAP / Active Directory (UST connector-ldap)',
  connector: ldapConnectorSchema,
  create: (config, context): IdentitySource => {
    // Settings are checked now (`ust config validate`); the LDAP client (ldapts) loads on first read or check.
    const options = ldapOptionsFrom(config)
    let source: Promise<LdapSource> | undefined
    const open = () =>
      (source ??= import('./ldap-source.js').then(
        ({ LdapSource }) =>
          new LdapSource(options, context.logger, context.tlsVerify, context.progress, (host) =>
            context.network?.clientCertificate?.(host),
          ),
      ))
    return {
      read: async (selection) => (await open()).read(selection),
      // The directory server, for `ust net check` (DNS, TCP and TLS stages; the firewall list).
      endpoints: () => [{ name: 'LDAP', url: options.url.text, verifyTls: context.tlsVerify }],
      // The directory and subtree read; the filters are not part of it (a narrowed filter is a drop).
      identity: () => `ldap:${options.url.text}/${options.baseDn.toLowerCase()}`,
      check: async () => (await open()).check(),
    }
  },
})
