// The embedded data folder holds everything: PGlite's files (the write-ahead log included, with emails and
// password hashes) and the lock. PGlite creates most of its files 0666 (its WebAssembly file system writes
// the modes initdb's template carries), so after every open the data folder becomes 0700 and PGlite's folder
// below it owner-only throughout: folders 0700, files 0600. Files PostgreSQL creates later (new relations,
// WAL segments) already come out 0600; the module's own files there (lock, key) are written 0600.
import { chmodSync, lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export const FOLDER_MODE = 0o700
export const FILE_MODE = 0o600

/** Sets `dir` and everything below it to owner-only modes; symbolic links are left alone. */
export function restrictToOwner(dir: string): void {
  chmodIfNeeded(dir, FOLDER_MODE)
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) restrictToOwner(path)
    else if (entry.isFile()) chmodIfNeeded(path, FILE_MODE)
  }
}

function chmodIfNeeded(path: string, mode: number): void {
  if ((lstatSync(path).mode & 0o777) !== mode) chmodSync(path, mode)
}
