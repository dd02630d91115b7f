#!/usr/bin/env node
// `npm create ust-plugin` runs this bin (npm maps `create <x>` to the package `create-<x>`).
import { main } from '../dist/cli.js'

process.exitCode = await main(process.argv.slice(2))
