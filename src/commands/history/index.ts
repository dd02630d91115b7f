import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../../base-command.js'
import { type HistoryListResult, HistoryService } from '../../services/history-service.js'

export default class History extends UstCommand {
  static description =
    `What the last sync runs did: one line per run (id, start, mode, status, exit code, duration, users created / updated / Adobe-only processed), oldest first.

Every \`ust sync\` run (live, -t, --plan-out, --plan) is recorded in the data dir; a run that crashed shows as crashed.`
  static examples = ['<%= config.bin %> history', '<%= config.bin %> history --last 5 --json']
  static flags = {
    last: Flags.integer({ description: 'how many of the newest runs to show (0: all)', default: 20, min: 0 }),
  }

  async run(): Promise<HistoryListResult> {
    const { flags } = await this.parse(History)
    const history = this.services.resolve(HistoryService)
    const result = await history.list(flags.last)
    if (!this.jsonEnabled()) for (const line of history.renderList(result)) this.log(line)
    return result
  }
}
