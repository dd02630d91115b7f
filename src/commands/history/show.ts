import { Args } from '@oclif/core'
import { UstCommand } from '../../base-command.js'
import { HistoryService } from '../../services/history-service.js'
import { runDetails } from '../../run/render-history.js'
import type { RunRecord } from '../../run/run-record.types.js'

export default class HistoryShow extends UstCommand {
  static description = 'One recorded sync run: when, how, its options, files, and its action summary'
  static examples = ['<%= config.bin %> history show 20250102T030405Z-1a2b3c', '<%= config.bin %> history show 20250102T03']
  static args = { id: Args.string({ description: 'run id (or a unique start of it), from `ust history`', required: true }) }

  async run(): Promise<RunRecord> {
    const { args } = await this.parse(HistoryShow)
    const record = await this.services.resolve(HistoryService).show(args.id)
    if (!this.jsonEnabled()) for (const line of runDetails(record)) this.log(line)
    return record
  }
}
