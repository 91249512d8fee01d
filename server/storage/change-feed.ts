// Tells this process that a table changed, whichever process changed it. Statement-level triggers (migration
// 0110) call `pg_notify('crm_changes', <table name>)`; PostgreSQL delivers the notification to every
// listening session when the writing transaction commits, and never for one that rolls back. On PostgreSQL
// one dedicated connection listens; PGlite delivers to in-process listeners as the committing query returns.
import type { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export const CHANGES_CHANNEL = 'crm_changes'

export interface ChangeHandlers {
  /** A committed statement wrote `table`. */
  onChange(table: string): void
  /**
   * Whether notifications are flowing. While false some may be lost, so whoever relies on them must stop
   * trusting what it derived from them (the read cache bypasses itself until it is true again).
   */
  onLive(live: boolean): void
}

export interface ChangeFeed {
  close(): Promise<void>
}

export async function listenPglite(pglite: PGlite, handlers: ChangeHandlers): Promise<ChangeFeed> {
  const unlisten = await pglite.listen(CHANGES_CHANNEL, (payload) => handlers.onChange(payload))
  handlers.onLive(true)
  return { close: () => unlisten() }
}

const RETRY_MIN_MS = 500
const RETRY_MAX_MS = 30_000

/**
 * Listens on its own connection (a pooled one could be handed to a query mid-LISTEN) and reconnects with
 * backoff after it is cut. Never throws: an unreachable server only keeps the feed "not live".
 */
export function listenPostgres(
  url: string,
  handlers: ChangeHandlers,
  onError: (err: Error) => void,
): ChangeFeed {
  let closed = false
  let current: pg.Client | undefined
  let retryMs = RETRY_MIN_MS
  let retryTimer: NodeJS.Timeout | undefined

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url })
    let isLost = false
    const lost = (err?: Error) => {
      if (isLost) return
      isLost = true
      if (err) onError(err)
      handlers.onLive(false)
      void client.end().catch(() => undefined)
      if (!closed) {
        retryTimer = setTimeout(() => void connect(), retryMs)
        retryTimer.unref()
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
      }
    }
    client.on('notification', (message) => handlers.onChange(message.payload ?? ''))
    client.on('error', lost)
    client.on('end', () => lost())
    try {
      await client.connect()
      await client.query(`LISTEN ${CHANGES_CHANNEL}`)
    } catch (err) {
      lost(err as Error)
      return
    }
    if (closed) {
      await client.end()
      return
    }
    current = client
    retryMs = RETRY_MIN_MS
    handlers.onLive(true)
  }

  void connect()
  return {
    close: async () => {
      closed = true
      clearTimeout(retryTimer)
      handlers.onLive(false)
      await current?.end().catch(() => undefined)
    },
  }
}
