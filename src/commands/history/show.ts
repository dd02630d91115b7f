import { Args } from '@oclif/core'
import { UstCommand } from '../../base-command.js'
import { HistoryService } from '../../services/history-service.js'
import type { RunRecord } from '../../run/run-record.types.js'

export default class HistoryShow extends UstCommand {
  static description = 'One recorded sync run: when, how, its options, files, and its action summary'
  static examples = [
    '<%= config.bin %> history show 20250102T030405Z-1a2b3c',
    '<%= config.bin %> history show 20250102T03',
  ]
  static args = {
    id: Args.string({ description: 'run id (or a unique start of it), from `ust history`', required: true }),
  }

  async run(): Promise<RunRecord> {
    const { args } = await this.parse(HistoryShow)
    const history = this.services.resolve(HistoryService)
    const record = await history.show(args.id)
    if (!this.jsonEnabled()) for (const line of history.renderRecord(record)) this.log(line)
    return record
  }
}
