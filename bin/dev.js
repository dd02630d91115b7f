#!/usr/bin/env node
// Development entry: same as run.js with oclif's development mode (more detailed errors, manifest ignored).
// Run `npm run build` first: commands load from dist/.
import 'reflect-metadata'
import { Config, execute, Plugin } from '@oclif/core'
import { enforceCommandPolicy, enforceHookPolicy } from '../dist/plugins/hook-policy.js'

// Third-party plugins' oclif hooks other than ust:register are never run, nor their command files loaded
// (src/plugins/hook-policy.ts).
enforceHookPolicy(Config)
enforceCommandPolicy(Plugin)

await execute({ development: true, dir: import.meta.url })
