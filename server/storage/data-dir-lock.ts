// PGlite does not lock its data folder, and a second process writing to it corrupts it. We take an
// exclusive lock file first: O_EXCL creation is atomic, and a lock left by a dead process is reclaimed.
import { mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError'
}

export interface DataDirLock {
  release(): void
}

interface LockOwner {
  pid: number
  host: string
  since: string
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const lockPath = join(dataDir, 'crm.lock')
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() }

  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600)
      writeSync(fd, JSON.stringify(me))
      closeSync(fd)
      return { release: () => rmSync(lockPath, { force: true }) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = readOwner(lockPath)
      if (owner && isAlive(owner)) {
        throw new DataDirLockedError(
          `The data folder ${dataDir} is in use by another process (pid ${owner.pid} on ${owner.host}, since ${owner.since}). ` +
            'Embedded mode allows one process per data folder: stop the other process, use another DATA_DIR, ' +
            'or set DATABASE_URL to share a PostgreSQL database between processes.',
        )
      }
      // Stale lock from a process that died: move it aside atomically, then try again.
      renameSync(lockPath, `${lockPath}.stale-${process.pid}`)
      rmSync(`${lockPath}.stale-${process.pid}`, { force: true })
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dataDir}; another process keeps taking it.`)
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockOwner
  } catch {
    return undefined
  }
}

function isAlive(owner: LockOwner): boolean {
  // A lock written on another host (shared folder) cannot be checked; treat it as live to be safe.
  if (owner.host !== hostname()) return true
  try {
    process.kill(owner.pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
