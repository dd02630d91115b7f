import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { ExitCode } from '@ust-sync/api'
import { UstCommand } from '../base-command.js'
import {
  type FolderCheck,
  type ChoiceFlags,
  INIT_SOURCES,
  INIT_TARGETS,
  InitService,
  MIGRATION_GUIDE,
  type InitWriteResult,
} from '../services/init-service.js'

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
    'tenant-id': Flags.string({ description: 'Entra ID: directory (tenant) ID' }),
    'entra-client-id': Flags.string({ description: 'Entra ID: application (client) ID of the app registration' }),
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
      exclusive: [
        'source',
        'target',
        'force',
        'org-id',
        'client-id',
        'ldap-host',
        'base-dn',
        'ldap-username',
        'tenant-id',
        'entra-client-id',
      ],
    }),
  }

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init)
    if (flags.from) return this.check(flags.from)

    const given: ChoiceFlags = {
      source: flags.source,
      target: flags.target,
      orgId: flags['org-id'],
      clientId: flags['client-id'],
      ldapHost: flags['ldap-host'],
      baseDn: flags['base-dn'],
      ldapUsername: flags['ldap-username'],
      tenantId: flags['tenant-id'],
      entraClientId: flags['entra-client-id'],
      identityType: flags['identity-type'],
      country: flags.country,
    }
    const interactive = flags.interactive ?? (process.stdin.isTTY && process.stdout.isTTY && !this.jsonEnabled())
    const result = await this.services
      .resolve(InitService)
      .write(given, { dir: args.dir, force: flags.force, interactive: Boolean(interactive) })
    for (const f of result.files) this.log(`${f.action} ${f.path}`)
    this.log('Next:')
    for (const step of result.next) this.log(`  - ${step}`)
    return result
  }

  private async check(from: string): Promise<FolderCheck> {
    const result = await this.services.resolve(InitService).check(from)
    this.log(`UST configuration: ${result.mainFile}`)
    if (result.valid)
      this.log(`ust config validate: valid${result.warnings.length ? ` (${result.warnings.length} warnings)` : ''}`)
    else {
      this.log('ust config validate: NOT valid as it is; fix these before the first sync:')
      for (const p of result.problems) this.log(`  ${p}`)
    }
    for (const w of result.warnings) this.log(`  warning: ${w}`)
    this.log(
      `What ust does differently with this configuration (docs/admin/migrating-from-ust.md): ${result.differences.length}`,
    )
    for (const [i, d] of result.differences.entries()) {
      this.log(`  ${i + 1}. ${d.title}`)
      this.log(`     (${d.because}; see ${MIGRATION_GUIDE}#${d.id})`)
    }
    return this.finish(result, result.valid ? 0 : ExitCode.config)
  }
}
