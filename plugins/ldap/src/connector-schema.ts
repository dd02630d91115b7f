import type { ConnectorSchema, JsonSchema } from '@ust-sync/api'

const text: JsonSchema = { type: 'string', minLength: 1 }
const template = (meaning: string): JsonSchema => ({ type: 'string', description: meaning })

/**
 * Schema of UST's `connector-ldap.yml` (ust-behaviour.md §2.4), strict: every key UST reads and no other.
 * `password` is a secret: the file holds it in plain text or as `secure_password_key`, resolved through the
 * credential backend with the account `username` (UST's keyring username).
 */
export const ldapConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host', 'base_dn'],
    properties: {
      host: { ...text, description: 'ldap://host[:port] or ldaps://host[:port]' },
      base_dn: { ...text, description: 'Where users and groups are searched, e.g. DC=example,DC=com' },
      username: { ...text, description: 'Bind DN (or user@domain for AD); none means anonymous' },
      password: { type: 'string', description: 'Bind password (prefer secure_password_key)' },
      authentication_method: {
        enum: ['simple', 'anonymous', 'ntlm', 'kerberos'],
        'x-ust-case-insensitive': true,
        description: 'simple (default) or anonymous; ntlm and kerberos are not supported by ust',
      },
      require_tls_cert: { type: 'boolean', description: 'StartTLS on ldap:// before binding' },
      search_page_size: {
        type: 'integer',
        minimum: 0,
        maximum: 1_000_000,
        description: 'Simple Paged Results page size; 0: no paging',
      },
      all_users_filter: { ...text, description: 'LDAP filter every synced user must match' },
      group_filter_format: { ...text, description: 'Filter finding a group from its name, {group}' },
      group_member_filter_format: { ...text, description: 'Filter finding the members of a group, {group_dn}' },
      two_steps_lookup: {
        type: 'object',
        additionalProperties: false,
        required: ['group_member_attribute_name'],
        properties: {
          group_member_attribute_name: { ...text, description: 'Attribute of a group listing its members' },
          nested_group: { type: 'boolean', description: 'Follow members that are groups themselves' },
        },
      },
      dynamic_group_member_attribute: { ...text, description: 'User attribute listing its groups (e.g. memberOf)' },
      user_email_format: template('Email of a user, default {mail}'),
      user_username_format: template('Username, default: the email'),
      user_domain_format: template('Domain of a non-email username, default: the email domain'),
      user_given_name_format: template('First name, default {givenName}'),
      user_surname_format: template('Last name, default {sn}'),
      user_country_code_format: template('Country code, default {c}'),
      user_identity_type_format: template('Identity type per user, e.g. {idType}ID'),
      user_identity_type: { type: 'string', description: 'adobeID, enterpriseID or federatedID' },
      string_encoding: { ...text, description: 'Encoding of directory values, default utf8' },
    },
  },
  secrets: [{ key: 'password', account: 'username', required: false }],
}
