import { Flags } from '@oclif/core'
import { UstCommand } from '../base-command.js'
import { SyncService } from '../services/sync-service.js'
import type { SyncResult } from '../sync/summary.js'

export default class Sync extends UstCommand {
  static description = `Bring the target (Adobe org) in line with the directory: UST's sync, with plan/apply.

Reads UST's config files unchanged. Options and defaults are UST's; invocation_defaults in the main config apply beneath the flags.`
  static examples = [
    '<%= config.bin %> sync -c user-sync-config.yml --process-groups --users mapped -t',
    '<%= config.bin %> sync --users group "Design,Marketing" --adobe-only-user-action remove',
    '<%= config.bin %> sync --connector csv users.csv --plan-out plan.json',
    '<%= config.bin %> sync --plan plan.json',
  ]
  static flags = {
    config: Flags.string({
      char: 'c',
      aliases: ['config-filename'],
      description: 'main config file (default: user-sync-config.yml, ust.config.yml, .ustrc… searched upwards)',
    }),
    'config-file-encoding': Flags.string({ description: 'encoding of the config files', default: 'utf8' }),
    'test-mode': Flags.boolean({
      char: 't',
      allowNo: true,
      description: 'validate every change with the target without applying it',
    }),
    users: Flags.string({ multiple: true, description: 'all | mapped | file PATH | group "g1,g2"' }),
    'user-filter': Flags.string({
      description: 'regex on the username part of the user key (full match, case-insensitive)',
    }),
    'adobe-users': Flags.string({ multiple: true, description: 'all | mapped | group "g1,org2::g2"' }),
    'adobe-only-user-action': Flags.string({
      multiple: true,
      description: 'preserve | exclude | write-file PATH | remove-adobe-groups | remove | delete',
    }),
    'adobe-only-user-list': Flags.string({ description: 'CSV of Adobe-only users to act on (no directory read)' }),
    'process-groups': Flags.boolean({ allowNo: true, description: 'add and remove mapped group memberships' }),
    'update-user-info': Flags.boolean({
      allowNo: true,
      description: 'update names/email (update_attributes) of matched users',
    }),
    strategy: Flags.string({ description: 'sync | push' }),
    connector: Flags.string({
      multiple: true,
      description: 'identity source id, with a file for csv: ldap | csv PATH | <plugin id>',
    }),
    'exclude-unmapped-users': Flags.boolean({
      allowNo: true,
      description: 'do not create users that have no mapped group',
    }),
    'include-unmapped-users': Flags.boolean({ description: 'same as --no-exclude-unmapped-users' }),
    'plan-out': Flags.string({
      description: 'write the plan to FILE and stop (no change to any target)',
      exclusive: ['plan'],
    }),
    plan: Flags.string({ description: 'apply a plan saved with --plan-out, after checking it still fits' }),
  }

  async run(): Promise<SyncResult> {
    const { flags } = await this.parse(Sync)
    const result = await this.services.resolve(SyncService).run({
      location: { configFile: flags.config, cwd: process.cwd(), encoding: flags['config-file-encoding'] },
      flags: {
        testMode: flags['test-mode'],
        users: flags.users,
        userFilter: flags['user-filter'],
        adobeUsers: flags['adobe-users'],
        adobeOnlyUserAction: flags['adobe-only-user-action'],
        adobeOnlyUserList: flags['adobe-only-user-list'],
        processGroups: flags['process-groups'],
        updateUserInfo: flags['update-user-info'],
        strategy: flags.strategy,
        connector: flags.connector,
        excludeUnmappedUsers: flags['include-unmapped-users'] ? false : flags['exclude-unmapped-users'],
      },
      planOut: flags['plan-out'],
      planIn: flags.plan,
    })
    if (result.exitCode !== 0) {
      if (this.jsonEnabled()) this.logJson(result)
      this.exit(result.exitCode)
    }
    return result
  }
}
