import { oktaBench } from './okta.js'
import type { SourceBench } from './types.js'

/** The sources `npm run bench:sources` measures, one file each; add a source with one line. */
export const SOURCE_BENCHES: readonly SourceBench[] = [oktaBench]
