#!/usr/bin/env node
import 'reflect-metadata'
import { execute } from '@oclif/core'

// As UST's `user-sync`: sync is the default command, so `ust --process-groups -t` runs `ust sync …`.
const args = process.argv.slice(2)
if (args[0] === '-v') args[0] = '--version'
if (args[0]?.startsWith('-') && !['-h', '--help', '-v', '--version'].includes(args[0])) args.unshift('sync')

await execute({ args, dir: import.meta.url })
