import { defineIdentitySource } from '@ust-sync/api'
import { ldapConnectorSchema } from './connector-schema.js'
import { ldapOptionsFrom } from './ldap-options.js'
import { LdapSource } from './ldap-source.js'

/**
 * The `ldap` identity source: users and groups from an LDAP directory or Active Directory, configured by
 * UST's `connector-ldap.yml`. It is UST's default connector (`--connector ldap`).
 */
export const ldapSourceDefinition = defineIdentitySource({
  id: 'ldap',
  description: 'Users and groups from LDAP / Active Directory (UST connector-ldap)',
  connector: ldapConnectorSchema,
  create: (config, context) => new LdapSource(ldapOptionsFrom(config), context.logger, context.tlsVerify),
})
