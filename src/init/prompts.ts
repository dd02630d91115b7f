import { DEFAULT_CHOICES, type InitChoices, type InitSource, type InitTarget } from './choices.js'

/** Choices given on the command line; the rest is asked (on a TTY) or defaulted. */
export type GivenChoices = Partial<InitChoices>

/** The `ust init` flags as parsed: a flag not given is undefined. */
export type ChoiceFlags = { [K in keyof InitChoices]?: InitChoices[K] | undefined }

/** The choices the flags give (those not undefined). */
export function givenChoices(flags: ChoiceFlags): GivenChoices {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined))
}

/** Asks, on the terminal, for every choice not given as a flag (inquirer prompts; Ctrl+C aborts). */
export async function askChoices(given: GivenChoices): Promise<InitChoices> {
  // Loaded only when there is something to ask: inquirer is ~190 modules, which every other command
  // (a scheduled sync above all) would otherwise load and never use.
  const { input, select } = await import('@inquirer/prompts')
  const c: InitChoices = { ...DEFAULT_CHOICES, ...given }
  c.source =
    given.source ??
    (await select<InitSource>({
      message: 'Where are the people (identity source)?',
      choices: [
        { name: 'CSV file', value: 'csv', description: 'a users.csv exported from HR or a directory' },
        { name: 'LDAP / Active Directory', value: 'ldap' },
        { name: 'Microsoft Entra ID (Azure AD) through Microsoft Graph', value: 'entra' },
      ],
    }))
  c.target =
    given.target ??
    (await select<InitTarget>({
      message: 'Which organisation should they be synced into (target)?',
      choices: [
        { name: 'Adobe organisation (User Management API)', value: 'umapi' },
        { name: 'Sandbox: a local JSON file, to rehearse offline', value: 'sandbox' },
      ],
    }))
  if (c.target === 'umapi') {
    c.orgId = given.orgId ?? (await input({ message: 'Adobe org ID (…@AdobeOrg):', default: DEFAULT_CHOICES.orgId }))
    c.clientId = given.clientId ?? (await input({ message: 'OAuth client ID:', default: DEFAULT_CHOICES.clientId }))
  }
  if (c.source === 'ldap') {
    c.ldapHost = given.ldapHost ?? (await input({ message: 'LDAP URL:', default: DEFAULT_CHOICES.ldapHost }))
    c.baseDn = given.baseDn ?? (await input({ message: 'Search base DN:', default: DEFAULT_CHOICES.baseDn }))
    c.ldapUsername =
      given.ldapUsername ?? (await input({ message: 'Bind DN (user):', default: DEFAULT_CHOICES.ldapUsername }))
  }
  if (c.source === 'entra') {
    c.tenantId = given.tenantId ?? (await input({ message: 'Entra tenant ID:', default: DEFAULT_CHOICES.tenantId }))
    c.entraClientId =
      given.entraClientId ??
      (await input({
        message: 'Application (client) ID of the app registration:',
        default: DEFAULT_CHOICES.entraClientId,
      }))
  }
  c.identityType =
    given.identityType ??
    (await select<InitChoices['identityType']>({
      message: 'Identity type of the Adobe accounts created:',
      choices: [
        { name: 'Federated ID (single sign-on)', value: 'federatedID' },
        { name: 'Enterprise ID', value: 'enterpriseID' },
      ],
    }))
  return c
}

/** Every choice not given, defaulted (no terminal, --json, or --no-interactive). */
export function defaultChoices(given: GivenChoices): InitChoices {
  return { ...DEFAULT_CHOICES, ...given }
}
