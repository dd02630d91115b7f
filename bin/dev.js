#!/usr/bin/env node
// Development entry: same as run.js with oclif's development mode (more detailed errors, manifest ignored).
// Run `npm run build` first: commands load from dist/.
import 'reflect-metadata'
import { execute } from '@oclif/core'

await execute({ development: true, dir: import.meta.url })
