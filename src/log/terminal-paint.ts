import { styleText } from 'node:util'
import type { Paint } from '../sync/render-plan-view.js'

/** Colours for `stream` when it is a terminal that takes them (NO_COLOR, FORCE_COLOR respected); plain text otherwise. */
export function terminalPaint(stream: NodeJS.WriteStream): Paint {
  return (style, text) => styleText(style, text, { stream, validateStream: true })
}
