// One per server process: follows crm_live_events through the change feed (migration 0110 notifies
// 'crm_live_events' at each commit, from any process) and hands each new event to the open streams whose
// users may see it now (live.repository.ts `deliveries`).
//
// Event ids come from a sequence, which is taken at insert, not at commit: a transaction holding id 7 may
// commit after one holding id 8. So the hub does not read "after the highest id seen": it keeps a floor
// (every id at or below it is handled), reads after the floor, skips what it already delivered, and waits
// up to GAP_MS for a missing id before taking it for a rolled-back one.
import type { Logger } from 'pino'

import type { Db } from '../../storage/open-database.js'
import { countUnreadOf } from '../feed/notifications.repository.js'
import {
  deliveries,
  newestEventId,
  pruneEvents,
  readEventsAfter,
  type DeliveryRow,
  type LiveEventRow,
} from './live.repository.js'
import type { LiveEvent } from '../../../contracts/api/live.api.js'

const BATCH = 1000
const GAP_MS = 10_000
const KEEP_MS = 24 * 3_600_000
const PRUNE_EVERY_MS = 3_600_000
export const LIVE_TABLE = 'crm_live_events'

export interface LiveSubscriber {
  userId: string
  /** Called once per event id, whatever path (live or replay) found it first. */
  deliver(id: number, event: LiveEvent): void
}

export interface Delivery {
  id: number
  userId: string
  event: LiveEvent
}

export interface LiveHub {
  /** Change-feed handlers: wire them to OpenDatabase.listenForChanges. */
  onChange(table: string): void
  onLive(live: boolean): void
  subscribe(subscriber: LiveSubscriber): () => void
  /** Turns rows of crm_live_events into what one user receives (bell counts read now). */
  toEvents(rows: readonly DeliveryRow[]): Promise<Delivery[]>
  /** Resolves when the hub has handled every event committed before the call (for tests and the bench). */
  caughtUp(): Promise<void>
  close(): void
}

export function createLiveHub(deps: { db: Db; log: Logger }): LiveHub {
  const { db, log } = deps
  const subscribers = new Set<LiveSubscriber>()
  let floor: number | undefined
  const seenAbove = new Set<number>()
  const gaps = new Map<number, number>()
  let running: Promise<void> | undefined
  let again = false
  let gapTimer: NodeJS.Timeout | undefined
  let lastPrune = 0

  const toEvents: LiveHub['toEvents'] = async (rows) => {
    // One statement for every bell in the batch: one query per user, each waiting for a pooled connection
    // behind the requests, held back every event of the batch (bench:feed: post-to-event p50 16 s).
    const counts = await countUnreadOf(db, [
      ...new Set(rows.filter((r) => r.kind === 'notifications').map((r) => r.user_id)),
    ])
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      event: toEvent(row, counts.get(row.user_id) ?? 0),
    }))
  }

  const fanOut = async (rows: readonly LiveEventRow[]) => {
    const listening = [...subscribers]
    if (listening.length === 0) return
    const userIds = [...new Set(listening.map((s) => s.userId))]
    const found = await deliveries(
      db,
      rows.map((r) => r.id),
      userIds,
    )
    const byUser = new Map<string, Delivery[]>()
    for (const item of await toEvents(found)) {
      byUser.set(item.userId, [...(byUser.get(item.userId) ?? []), item])
    }
    for (const subscriber of listening) {
      for (const { id, event } of byUser.get(subscriber.userId) ?? []) subscriber.deliver(id, event)
    }
  }

  // Events from before this process started are not live news (a reconnecting browser replays them).
  let starting: Promise<void> | undefined = newestEventId(db).then(
    (id) => void (floor ??= id),
    (err: unknown) => log.warn({ err }, 'live events: could not read the newest id'),
  )

  const pollOnce = async (): Promise<boolean> => {
    if (starting) {
      await starting
      starting = undefined
    }
    floor ??= await newestEventId(db)
    const rows = await readEventsAfter(db, floor, BATCH)
    const fresh = rows.filter((row) => !seenAbove.has(row.id))
    for (const row of fresh) {
      seenAbove.add(row.id)
      gaps.delete(row.id)
    }
    const now = Date.now()
    const top = rows.at(-1)?.id ?? floor
    for (let id = floor + 1; id < top; id += 1) if (!seenAbove.has(id) && !gaps.has(id)) gaps.set(id, now)
    for (const [id, since] of gaps) {
      if (now - since >= GAP_MS) {
        gaps.delete(id)
        seenAbove.add(id)
      }
    }
    while (seenAbove.has(floor + 1)) {
      floor += 1
      seenAbove.delete(floor)
    }
    if (fresh.length > 0) await fanOut(fresh)
    return rows.length === BATCH
  }

  const poll = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          if (await pollOnce()) again = true
        } while (again)
      } catch (err) {
        log.warn({ err }, 'live events could not be read; retrying at the next change')
      } finally {
        running = undefined
        clearTimeout(gapTimer)
        if (gaps.size > 0) {
          gapTimer = setTimeout(() => void poll(), GAP_MS)
          gapTimer.unref()
        }
      }
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now()
        await pruneEvents(db, new Date(Date.now() - KEEP_MS)).catch((err: unknown) =>
          log.warn({ err }, 'old live events could not be pruned'),
        )
      }
    })()
    return running
  }

  return {
    onChange(table) {
      if (table === LIVE_TABLE || table === '*') void poll()
    },
    onLive(live) {
      // Back after a gap in notifications: read what was committed meanwhile.
      if (live) void poll()
    },
    subscribe(subscriber) {
      subscribers.add(subscriber)
      return () => void subscribers.delete(subscriber)
    },
    toEvents,
    caughtUp: async () => {
      await poll()
      if (running) await running
    },
    close() {
      clearTimeout(gapTimer)
      subscribers.clear()
    },
  }
}

function toEvent(row: LiveEventRow, unreadCount: number): LiveEvent {
  switch (row.kind) {
    case 'feed':
      return { type: 'feed', opportunityId: row.opportunity_id ?? '', postId: row.post_id ?? '' }
    case 'notifications':
      return { type: 'notifications', unreadCount }
    case 'membership':
      return { type: 'membership' }
    case 'opportunity':
      return { type: 'opportunity', opportunityId: row.opportunity_id ?? '' }
  }
}
