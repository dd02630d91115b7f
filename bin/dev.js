#!/usr/bin/env node
// Development entry: same as run.js with oclif's development mode (more detailed errors, manifest ignored).
// Run `npm run build` first: commands load from dist/.
import 'reflect-metadata'
import { Config, execute } from '@oclif/core'
import { enforceHookPolicy } from '../dist/plugins/hook-policy.js'

// Third-party plugins' oclif hooks other than ust:register are never run (src/plugins/hook-policy.ts).
enforceHookPolicy(Config)

await execute({ development: true, dir: import.meta.url })
