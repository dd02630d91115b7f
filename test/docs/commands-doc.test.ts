import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { COMMANDS_DOC_PATH, readManifest, renderCommandsDoc } from '../../scripts/commands-doc.js'

describe('docs/commands.md', () => {
  it('is what `npm run docs:commands` renders from the built oclif manifest', async () => {
    const committed = await readFile(COMMANDS_DOC_PATH, 'utf8')
    // On a difference: run `npm run docs:commands` and commit docs/commands.md.
    expect(committed).toBe(renderCommandsDoc(readManifest()))
  })

  it('documents every command and every flag of the manifest', () => {
    const manifest = readManifest()
    const doc = renderCommandsDoc(manifest)
    for (const command of Object.values(manifest.commands)) {
      expect(doc).toContain(`## \`ust ${command.id.replaceAll(':', ' ')}\``)
      for (const flag of Object.values(command.flags)) {
        expect(doc).toMatch(new RegExp(`\`(-\\w, )?--(\\[no-\\])?${flag.name}[ ,\`]`))
      }
    }
  })
})
