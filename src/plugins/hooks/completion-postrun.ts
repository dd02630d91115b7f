import type { Hook } from '@oclif/core'

/** The commands that write the completion functions: `ust autocomplete` (any flags) runs `create` in-process. */
const WRITERS = new Set(['autocomplete', 'autocomplete:create'])

/**
 * After @oclif/plugin-autocomplete wrote its completion functions (`ust autocomplete`, `--refresh-cache`,
 * and `autocomplete:create` after a plugin install): ust's own replace them (see write-completion.ts).
 * Any other command returns at once.
 */
const hook: Hook<'postrun'> = async ({ Command, config }) => {
  if (!Command?.id || !WRITERS.has(Command.id)) return
  const { writeCompletion } = await import('../../completion/write-completion.js')
  await writeCompletion(config)
}

export default hook
