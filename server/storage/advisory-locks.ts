// Session-level PostgreSQL advisory locks on one dedicated connection: held while that connection lives, and
// released by the server the moment it closes, so when the holding process dies another takes over at its
// next try (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS). On PGlite only one
// process can open the data folder (data-dir-lock.ts), so every lock is granted.
import pg from 'pg'

export interface NamedLocks {
  /** True if this process now holds (or already held) the lock. */
  tryLock(name: string): Promise<boolean>
  unlock(name: string): Promise<void>
  /** Called when the connection holding the locks is lost: every lock is gone. */
  onLost(listener: () => void): void
  close(): Promise<void>
}

export function inProcessLocks(): NamedLocks {
  const held = new Set<string>()
  return {
    tryLock: async (name) => {
      held.add(name)
      return true
    },
    unlock: async (name) => void held.delete(name),
    onLost: () => undefined,
    close: async () => held.clear(),
  }
}

export function postgresLocks(url: string, onError: (err: Error) => void): NamedLocks {
  let client: pg.Client | undefined
  let connecting: Promise<pg.Client> | undefined
  const held = new Set<string>()
  const listeners: Array<() => void> = []
  const lost = (err?: Error) => {
    if (err) onError(err)
    client = undefined
    connecting = undefined
    if (held.size === 0) return
    held.clear()
    for (const listener of listeners) listener()
  }
  const connection = () => {
    if (client) return Promise.resolve(client)
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: url, keepAlive: true })
      next.on('error', (err) => lost(err))
      next.on('end', () => lost())
      await next.connect()
      client = next
      return next
    })().catch((err: unknown) => {
      connecting = undefined
      throw err
    })
    return connecting
  }
  return {
    tryLock: async (name) => {
      if (held.has(name) && client) return true
      const c = await connection()
      const result = await c.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtextextended($1::text, 0)) as locked',
        [name],
      )
      const locked = result.rows[0]?.locked === true
      if (locked) held.add(name)
      return locked
    },
    unlock: async (name) => {
      if (!held.delete(name) || !client) return
      await client.query('select pg_advisory_unlock(hashtextextended($1::text, 0))', [name])
    },
    onLost: (listener) => void listeners.push(listener),
    close: async () => {
      held.clear()
      const c = client
      client = undefined
      await c?.end().catch(() => undefined)
    },
  }
}
