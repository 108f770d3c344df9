import type { Command } from './command.js'
import { patchCommand } from './patch.js'
import { verifyCommand } from './verify.js'

/** Every command of the CLI, in --help order. A new command is one module and one line here. */
export const COMMANDS: readonly Command[] = [patchCommand, verifyCommand]
