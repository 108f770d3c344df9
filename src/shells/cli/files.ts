import { randomBytes } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { UserError } from '../../core/errors.js'

/** Where `patch` writes by default on a terminal: beside the input, `<name>.patched.json`. */
export function besideInput(input: string): string {
  const ext = extname(input)
  const stem = ['.json', '.yaml', '.yml'].includes(ext.toLowerCase()) ? basename(input, ext) : basename(input)
  return join(dirname(input), `${stem}.patched.json`)
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded'
}

/**
 * Writes the whole file or nothing: a temporary file beside it, then a rename, so an interrupted run never leaves half
 * a definition (and `--out` may name the input itself).
 */
export async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, text)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new UserError(
      `Could not write the patched task definition to ${path}: ${code}${FS_REASONS[code] ? ` (${FS_REASONS[code]})` : ''}. Nothing was registered.`,
      'Set `--out` to a file in a writable folder, or `--out -` for standard output.'
    )
  }
}

/** The file's text, or undefined when there is no such file. */
export async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UserError(
      `Could not read ${path} to compare it: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      'With --check, `--out` (or the task definition itself) must be a readable file.'
    )
  }
}
