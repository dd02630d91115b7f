import { resolve } from 'node:path'
import { Args, Flags } from '@oclif/core'
import { ExitCode } from '@ust-sync/api'
import { UstCommand } from '../base-command.js'
import { ConfigService } from '../services/config-service.js'
import { checkUstFolder, type FolderCheck } from '../init/check-folder.js'
import { INIT_SOURCES, INIT_TARGETS, type InitChoices } from '../init/choices.js'
import { askChoices, defaultChoices } from '../init/prompts.js'
import { initFiles } from '../init/templates.js'
import { type WrittenFile, writeInitFiles } from '../init/write-files.js'

/** Result of `ust init` writing a configuration. */
export interface InitWriteResult {
  mode: 'write'
  dir: string
  choices: InitChoices
  files: WrittenFile[]
  /** What to do next, in order. */
  next: string[]
}

export type InitResult = InitWriteResult | FolderCheck

export default class Init extends UstCommand {
  static description =
    'Write a commented UST-style configuration (user-sync-config.yml and connector files) for a source and a target, or check an existing UST folder (--from)'
  static examples = [
    '<%= config.bin %> init                      # asks on a terminal',
    '<%= config.bin %> init ust-config --source ldap --target umapi --org-id 1234@AdobeOrg --client-id abc',
    '<%= config.bin %> init --from /opt/user-sync   # what ust does differently with this UST configuration',
  ]
  static args = {
    dir: Args.string({ description: 'directory to write the files into', default: '.' }),
  }
  static flags = {
    source: Flags.option({ options: INIT_SOURCES, description: 'identity source (directory connector)' })(),
    target: Flags.option({ options: INIT_TARGETS, description: 'target organisation' })(),
    'org-id': Flags.string({ description: 'UMAPI: Adobe org ID (…@AdobeOrg)' }),
    'client-id': Flags.string({ description: 'UMAPI: OAuth Server-to-Server client ID' }),
    'ldap-host': Flags.string({ description: 'LDAP: ldap[s]://host[:port]' }),
    'base-dn': Flags.string({ description: 'LDAP: search base DN' }),
    'ldap-username': Flags.string({ description: 'LDAP: bind DN' }),
    'identity-type': Flags.option({
      options: ['federatedID', 'enterpriseID'] as const,
      description: 'identity type of the Adobe accounts created',
    })(),
    country: Flags.string({ description: 'country code of users without one', default: 'US' }),
    force: Flags.boolean({ description: 'overwrite existing files', default: false }),
    interactive: Flags.boolean({
      description: 'ask for what the flags do not give (default: when on a terminal, without --json)',
      allowNo: true,
    }),
    from: Flags.string({
      description: 'check an existing UST folder (or main file): is it valid for ust, and what ust does differently',
      exclusive: ['source', 'target', 'force', 'org-id', 'client-id', 'ldap-host', 'base-dn', 'ldap-username'],
    }),
  }

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init)
    if (flags.from) return this.check(flags.from)

    const given: Partial<InitChoices> = {
      source: flags.source,
      target: flags.target,
      orgId: flags['org-id'],
      clientId: flags['client-id'],
      ldapHost: flags['ldap-host'],
      baseDn: flags['base-dn'],
      ldapUsername: flags['ldap-username'],
      identityType: flags['identity-type'],
      country: flags.country,
    }
    const interactive = flags.interactive ?? (process.stdin.isTTY && process.stdout.isTTY && !this.jsonEnabled())
    const choices = interactive ? await askChoices(given) : defaultChoices(given)
    const dir = resolve(args.dir)
    const files = await writeInitFiles(dir, initFiles(choices), flags.force)
    for (const f of files) this.log(`${f.action} ${f.path}`)
    const next = [
      `Edit the group mapping (directory_users.groups) in ${resolve(dir, 'user-sync-config.yml')}`,
      ...(choices.target === 'umapi'
        ? ['Store the UMAPI client secret in the OS keyring: service "ust-umapi", account = your org ID']
        : []),
      ...(choices.source === 'ldap'
        ? ['Store the LDAP bind password in the OS keyring: service "ust-ldap", account = the bind DN']
        : []),
      `ust config validate -c ${resolve(dir, 'user-sync-config.yml')}`,
      `ust sync -c ${resolve(dir, 'user-sync-config.yml')} -t    (test mode: nothing is changed)`,
    ]
    this.log('Next:')
    for (const step of next) this.log(`  - ${step}`)
    return { mode: 'write', dir, choices, files, next }
  }

  private async check(from: string): Promise<FolderCheck> {
    const result = await checkUstFolder(resolve(from), this.services.resolve(ConfigService))
    this.log(`UST configuration: ${result.mainFile}`)
    if (result.valid)
      this.log(`ust config validate: valid${result.warnings.length ? ` (${result.warnings.length} warnings)` : ''}`)
    else {
      this.log('ust config validate: NOT valid as it is; fix these before the first sync:')
      for (const p of result.problems) this.log(`  ${p}`)
    }
    for (const w of result.warnings) this.log(`  warning: ${w}`)
    this.log(
      `What ust does differently with this configuration (README "Differences from UST"): ${result.differences.length}`,
    )
    for (const [i, d] of result.differences.entries()) {
      this.log(`  ${i + 1}. ${d.title}`)
      this.log(`     (${d.because})`)
    }
    if (!result.valid) {
      if (this.jsonEnabled()) this.logJson(result)
      this.exit(ExitCode.config)
    }
    return result
  }
}
