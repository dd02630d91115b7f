import { resolve } from 'node:path'
import { injectable } from 'tsyringe'
import { checkUstFolder, type FolderCheck } from '../init/check-folder.js'
import type { InitChoices } from '../init/choices.js'
import { askChoices, type ChoiceFlags, defaultChoices, givenChoices } from '../init/prompts.js'
import { initFiles } from '../init/templates.js'
import { type WrittenFile, writeInitFiles } from '../init/write-files.js'
import { ConfigService } from './config-service.js'

export { INIT_SOURCES, INIT_TARGETS } from '../init/choices.js'
export type { FolderCheck } from '../init/check-folder.js'
export { MIGRATION_GUIDE } from '../init/differences.js'
export type { ChoiceFlags } from '../init/prompts.js'

/** Result of `ust init` writing a configuration. */
export interface InitWriteResult {
  mode: 'write'
  dir: string
  choices: InitChoices
  files: WrittenFile[]
  /** What to do next, in order. */
  next: string[]
}

/** How `ust init` writes. */
export interface InitWriteOptions {
  dir: string
  force: boolean
  /** Ask on the terminal for what `given` leaves open (else defaults and placeholders). */
  interactive: boolean
}

/** `ust init`: new UST-style configurations, and checks of existing UST folders. */
@injectable()
export class InitService {
  constructor(private readonly config: ConfigService) {}

  /** Writes the main file and connector files for the choices (asked or defaulted where not given). */
  async write(flags: ChoiceFlags, options: InitWriteOptions): Promise<InitWriteResult> {
    const given = givenChoices(flags)
    const choices = options.interactive ? await askChoices(given) : defaultChoices(given)
    const dir = resolve(options.dir)
    const files = await writeInitFiles(dir, initFiles(choices), options.force)
    const main = resolve(dir, 'user-sync-config.yml')
    const next = [
      `Edit the group mapping (directory_users.groups) in ${main}`,
      ...(choices.target === 'umapi'
        ? [`Store the UMAPI client secret: ust credentials set ust-umapi-client-secret -c ${main}`]
        : []),
      ...(choices.source === 'ldap'
        ? [`Store the LDAP bind password: ust credentials set ust-ldap-password -c ${main}`]
        : []),
      ...(choices.source === 'entra'
        ? [`Store the Entra app's client secret: ust credentials set ust-entra-client-secret -c ${main}`]
        : []),
      `ust config validate -c ${main}`,
      `ust sync -c ${main} -t    (test mode: nothing is changed)`,
    ]
    return { mode: 'write', dir, choices, files, next }
  }

  /** Checks an existing UST folder (or main file): ust's validation, and the differences that concern it. */
  check(from: string): Promise<FolderCheck> {
    return checkUstFolder(resolve(from), (request) => this.config.load(request))
  }
}
