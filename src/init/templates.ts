import type { InitChoices } from './choices.js'

/** A file `ust init` writes: name relative to the target directory, and its content. */
export interface InitFile {
  name: string
  content: string
}

/** YAML double-quoted scalar (JSON strings are valid YAML). */
const q = (value: string) => JSON.stringify(value)

/** The Adobe group the example mapping points at (a product profile in the sandbox org). */
const EXAMPLE_ADOBE_GROUP = 'Acrobat Pro Users'
const EXAMPLE_DIRECTORY_GROUP = 'Acrobat_Users'

function mainConfig(c: InitChoices): string {
  const targetFile = `connector-${c.target}.yml`
  return `# Main configuration of ust, in the format of Adobe's User Sync Tool (UST): UST reads this file too.
# Written by \`ust init\`. Check it with \`ust config validate\`; rehearse with \`ust sync -t\` (test mode:
# every change is checked by the target but none is made).

adobe_users:
  # Adobe IDs (personal accounts) are never managed by a sync.
  exclude_identity_types:
    - adobeID
  # System administrators are never touched, even when they are not in the directory.
  exclude_adobe_groups:
    - _org_admin
  # Users whose username fully matches one of these regular expressions are never touched.
  # exclude_users:
  #   - "svc-.*@example\\\\.com"
  connectors:
    ${c.target}: ${targetFile}
  # Attributes updated on existing users when update_user_info is on (also possible: username).
  update_attributes:
    - firstname
    - lastname
    - email

directory_users:
  # Identity type of the Adobe accounts created for directory users: federatedID (SSO) or enterpriseID.
  user_identity_type: ${c.identityType}
  # Country (ISO 3166 code) of users whose directory entry has none.
  default_country_code: ${c.country}
  connectors:
    ${c.source}: connector-${c.source}.yml
  # Directory group -> Adobe user groups and product profiles. Replace the example with your own.
  groups:
    - directory_group: ${EXAMPLE_DIRECTORY_GROUP}
      adobe_groups:
        - ${EXAMPLE_ADOBE_GROUP}
  # Adobe groups derived from directory group names by regular expression:
  # additional_groups:
  #   - source: "ACL-(.+)"
  #     target: "ACL-Grp-\\\\1"
  group_sync_options:
    # Create mapped Adobe user groups that do not exist yet.
    auto_create: False

limits:
  # Safety net: when more Adobe-only users (in the org, not in the directory) than this would be
  # removed, none is (a truncated directory read must not empty the org). A count, or "N%".
  max_adobe_only_users: 200

logging:
  log_to_file: True
  file_log_directory: logs
  file_log_level: info
  console_log_level: info

# Used when the command line does not say otherwise (\`ust sync --help\` lists the flags).
invocation_defaults:
  # What to do with Adobe-only users: preserve, exclude, write-file, remove-adobe-groups, remove, delete.
  adobe_only_user_action: preserve
  adobe_users: all
  connector: ${c.source}
  process_groups: True
  test_mode: False
  update_user_info: False
  users: mapped
`
}

function csvConnector(): string {
  return `# The CSV directory (UST's connector-csv.yml). Paths are relative to this file.
# Header row: email, firstname, lastname, country, groups (comma-separated directory groups);
# optional columns: type (adobeID, enterpriseID, federatedID), username, domain.
file_path: users.csv
# The delimiter is guessed when absent (.csv: comma, other extensions: tab).
# delimiter: ","
# string_encoding: utf8
# Other column names: email_column_name, first_name_column_name, last_name_column_name,
# country_column_name, groups_column_name, identity_type_column_name, username_column_name, domain_column_name.
`
}

function ldapConnector(c: InitChoices): string {
  return `# The LDAP / Active Directory directory (UST's connector-ldap.yml).
host: ${q(c.ldapHost)}
base_dn: ${q(c.baseDn)}
# Bind account (read-only is enough). Its password is not written here: it is read from the OS keyring,
# service "ust-ldap-password", account = username (as UST does; the name \`ust credentials migrate\` gives it):
# \`ust credentials set ust-ldap-password -c user-sync-config.yml\`.
username: ${q(c.ldapUsername)}
secure_password_key: ust-ldap-password
authentication_method: simple
# Verify the server's certificate (ldaps://, or StartTLS on ldap://).
require_tls_cert: True
search_page_size: 1000
# Active Directory defaults; for OpenLDAP use e.g. "(objectClass=inetOrgPerson)".
all_users_filter: "(&(objectClass=user)(objectCategory=person)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
group_filter_format: "(&(|(objectCategory=group)(objectClass=groupOfNames)(objectClass=posixGroup))(cn={group}))"
# Nested AD groups: "(memberOf:1.2.840.113556.1.4.1941:={group_dn})"
group_member_filter_format: "(memberOf={group_dn})"
user_email_format: "{mail}"
user_given_name_format: "{givenName}"
user_surname_format: "{sn}"
user_country_code_format: "{c}"
# user_username_format: "{sAMAccountName}@example.com"
`
}

function entraConnector(c: InitChoices): string {
  return `# Microsoft Entra ID (Azure AD) through Microsoft Graph (ust's entra source; docs/admin/source-entra.md).
# App registration: Microsoft Graph application permissions User.Read.All and GroupMember.Read.All, with
# admin consent, and a client secret (or a certificate: certificate_file + private_key_file).
tenant_id: ${q(c.tenantId)}
client_id: ${q(c.entraClientId)}
# The client secret is not written here: it is read from the credential backend, service
# "ust-entra-client-secret", account = client_id:
# \`ust credentials set ust-entra-client-secret -c user-sync-config.yml\`.
secure_client_secret_key: ust-entra-client-secret
# An OData $filter every user must match.
all_users_filter: accountEnabled eq true
# UST-style templates over Graph user properties.
user_email_format: "{mail}"
user_given_name_format: "{givenName}"
user_surname_format: "{surname}"
user_country_code_format: "{usageLocation}"
# user_username_format: "{userPrincipalName}"
# National clouds: authority_host: login.microsoftonline.us, graph_host: graph.microsoft.us
`
}

function umapiConnector(c: InitChoices): string {
  return `# Adobe's User Management API (UST's connector-umapi.yml). In the Adobe Developer Console, create a
# project with the User Management API and an OAuth Server-to-Server credential; copy its values here.
authentication_method: oauth
enterprise:
  org_id: ${q(c.orgId)}
  client_id: ${q(c.clientId)}
  # The client secret is not written here: it is read from the credential backend, service
  # "ust-umapi-client-secret", account = org_id (as UST does; the name \`ust credentials migrate\` gives it):
  # \`ust credentials set ust-umapi-client-secret -c user-sync-config.yml\`.
  secure_client_secret_key: ust-umapi-client-secret
# server:
#   timeout: 120
#   retries: 3
`
}

function sandboxConnector(): string {
  return `# The sandbox target: an Adobe organisation kept in a local JSON file, to rehearse this configuration
# offline. Each sync rewrites the file. Switch adobe_users.connectors to umapi for a real organisation.
org_file: org.json
name: Sandbox organisation
`
}

/** The files of a new configuration for these choices, main file first. */
export function initFiles(c: InitChoices): InitFile[] {
  const files: InitFile[] = [{ name: 'user-sync-config.yml', content: mainConfig(c) }]
  const sources = { csv: csvConnector, ldap: ldapConnector, entra: entraConnector }
  files.push({ name: `connector-${c.source}.yml`, content: sources[c.source](c) })
  files.push(
    c.target === 'umapi'
      ? { name: 'connector-umapi.yml', content: umapiConnector(c) }
      : { name: 'connector-sandbox.yml', content: sandboxConnector() },
  )
  if (c.source === 'csv') {
    const example =
      c.target === 'sandbox' ? `jane.doe@example.com,Jane,Doe,${c.country},${EXAMPLE_DIRECTORY_GROUP}\n` : ''
    files.push({ name: 'users.csv', content: `email,firstname,lastname,country,groups\n${example}` })
  }
  if (c.target === 'sandbox') {
    const org = { users: [], groups: [{ name: EXAMPLE_ADOBE_GROUP, type: 'productProfile' }] }
    files.push({ name: 'org.json', content: `${JSON.stringify(org, null, 2)}\n` })
  }
  return files
}
