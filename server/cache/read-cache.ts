// An in-process cache for what nearly every request reads: the signed-in session, the portal's list responses
// (the same few pages asked for again and again), feed pages and the bell. Staleness is ruled out by invalidation,
// not by short lifetimes:
//   - every committed write to a table these reads come from, in any process, arrives as a change
//     notification (storage/change-feed.ts) and flushes what depends on that table;
//   - a write request handled by this process flushes the responses at once, before its response is sent (a
//     scoped write only the unscoped ones and the scopes its route names), so a user never reads the old
//     state after their own change; it flushes the sessions too when a statement of
//     the request wrote users or deleted sessions (session-writes.ts), so a deactivation, role change or
//     sign-out takes effect at once, while the many writes that change neither (posts, reads, assignments)
//     leave every signed-in user's session in memory;
//   - an entry is stored only if nothing it depends on was flushed while it was being read (the flush marks
//     of response-store.ts), so a read that raced a write cannot put the old state back;
//   - while notifications are not flowing (the listening connection is down) nothing is served from cache;
//   - a request that misses while the same key is already being read since the last flush waits for that read
//     instead of running its own: after each flush (every committed sync page) the concurrent requests of a key
//     would otherwise all run the same query at once and queue for the pool (issue 20 item 7). The shared
//     answer is as fresh as a cache hit at the moment the request arrived.
//   - answers are unscoped (they may depend on anything: every change flushes them) or scoped to a user and
//     the opportunities they show (response-store.ts): a post flushes the feed pages of its deal and the
//     bells it touched, so the feed and the bell stay in memory under a steady stream of posts. Other users'
//     scoped answers follow from the write's notification.
// The lifetime is only a backstop; it bounds what a clock-dependent answer ("won this quarter") can lag.
import { LRUCache } from 'lru-cache'

import type { SessionWithUser } from '../auth/sessions.repository.js'
import { createResponseStore } from './response-store.js'
import type { ChangeFeed, ChangeHandlers } from '../storage/change-feed.js'
import type { OpenDatabase } from '../storage/open-database.js'

const TTL_MS = 60_000
const MAX_SESSIONS = 50_000

/** Tables whose changes end sessions or change who a user is (role, active). */
const SESSION_TABLES = new Set(['users', 'sessions'])
/** Tables no scoped answer reads: only unscoped answers (the lists) depend on them. */
const UNSCOPED_ONLY_TABLES = new Set(['crm_live_events', 'crm_feed_reads'])
/** The payload prefix of migration 2026_12_08_c01's notifications: the scopes a statement changed. */
const SCOPES_PREFIX = 'scopes '

export interface ReadCache {
  /** True while entries may be served: enabled in config and change notifications flowing. */
  isActive(): boolean
  /** Marks the moment a read starts; pass it back when storing what was read. */
  sessionGeneration(): number
  responseGeneration(): number
  session(tokenHash: string): SessionWithUser | undefined
  rememberSession(tokenHash: string, session: SessionWithUser, generation: number): void
  forgetSession(tokenHash: string): void
  response(key: string): string | undefined
  /** Without `scopes` the answer may depend on anything; with them, only on those (`scopeOf`). */
  rememberResponse(key: string, json: string, generation: number, scopes?: readonly string[]): void
  /** The answer of a read of `key` under way since the last flush, if any (undefined when it gave none). */
  pendingResponse(key: string): Promise<string | undefined> | undefined
  /** Announces a read of `key`; settle it with the JSON (or undefined: not shareable) when done. */
  startResponse(key: string, generation: number): (json: string | undefined) => void
  /** Called for each statement through `deps.db` that may change a cached session (session-writes.ts). */
  noteSessionWrite(): void
  /** A mark to pass to settleRequest(): taken before a request's handler runs. */
  sessionWriteMark(): number
  /**
   * After a request's handler (its transactions committed): a write flushes the unscoped responses and the
   * scoped ones of `scopes` (all responses when not given), and any request during which a
   * session-changing statement was sent (since `mark`, by it or a concurrent one) the sessions.
   */
  settleRequest(isWrite: boolean, mark: number, scopes?: readonly string[]): void
  /**
   * A change notification: a committed change to a table, `'*'` for "anything may have changed", or
   * 'scopes <scope> ...' (or 'scopes *') for the scopes a statement changed.
   */
  invalidate(change: string): void
  /** Called by the change feed: notifications are flowing (true) or may be lost (false). */
  setLive(live: boolean): void
  stats(): {
    sessions: number
    responses: number
    responseBytes: number
    active: boolean
    /** Since the process started: cacheable reads answered from memory, by a read under way, or run. */
    answers: { hit: number; shared: number; miss: number }
  }
}

/** The scopes of answers, as migration 2026_12_08_c01 names them in its notifications. */
export const scopeOf = {
  /** Everything a user reads (their memberships changed). */
  user: (userId: string) => `u:${userId}`,
  bell: (userId: string) => `b:${userId}`,
  /** A deal's feed and fields. */
  opportunity: (opportunityId: string) => `o:${opportunityId}`,
}

/** The scopes of an answer for `userId` showing `opportunityIds`, and the user's bell if `bell`. */
export function answerScopes(
  userId: string,
  shows: { opportunityIds: readonly string[]; bell?: boolean | undefined },
): string[] {
  return [
    scopeOf.user(userId),
    ...(shows.bell ? [scopeOf.bell(userId)] : []),
    ...new Set(shows.opportunityIds.map(scopeOf.opportunity)),
  ]
}

export function createReadCache(options: { enabled: boolean; maxBytes: number }): ReadCache {
  let live = false
  let sessionGeneration = 0
  let sessionWrites = 0
  const sessions = new LRUCache<string, SessionWithUser>({ max: MAX_SESSIONS, ttl: TTL_MS })
  const responses = createResponseStore(options.maxBytes)
  const isActive = () => options.enabled && live
  const pending = new Map<string, Promise<string | undefined>>()
  const answers = { hit: 0, shared: 0, miss: 0 }
  const counted = <T>(found: T | undefined, result: 'hit' | 'shared'): T | undefined => {
    if (found !== undefined) answers[result] += 1
    return found
  }

  const flushSessions = () => {
    sessionGeneration += 1
    sessions.clear()
  }
  // Reads started before any flush may miss the change: requests from now on run their own.
  const flushResponses = (flush: () => void) => {
    flush()
    pending.clear()
  }
  const flushAll = () => flushResponses(() => responses.flushAll())

  return {
    isActive,
    sessionGeneration: () => sessionGeneration,
    responseGeneration: () => responses.mark(),
    session: (tokenHash) => (isActive() ? sessions.get(tokenHash) : undefined),
    rememberSession(tokenHash, session, generation) {
      if (isActive() && generation === sessionGeneration) sessions.set(tokenHash, session)
    },
    forgetSession: (tokenHash) => void sessions.delete(tokenHash),
    response: (key) => (isActive() ? counted(responses.get(key), 'hit') : undefined),
    rememberResponse(key, json, generation, scopes) {
      if (isActive()) responses.remember(key, json, generation, scopes)
    },
    pendingResponse: (key) => (isActive() ? counted(pending.get(key), 'shared') : undefined),
    startResponse(key, generation) {
      answers.miss += 1
      let settle: (json: string | undefined) => void = () => undefined
      const read = new Promise<string | undefined>((resolve) => (settle = resolve))
      const mine = isActive() && generation === responses.mark() && !pending.has(key)
      if (mine) pending.set(key, read)
      return (json) => {
        if (mine && pending.get(key) === read) pending.delete(key)
        settle(json)
      }
    },
    noteSessionWrite: () => void (sessionWrites += 1),
    sessionWriteMark: () => sessionWrites,
    settleRequest(isWrite, mark, scopes) {
      if (isWrite) {
        if (scopes === undefined) flushAll()
        else flushResponses(() => responses.flushScopes(scopes))
      }
      if (sessionWrites !== mark) flushSessions()
    },
    invalidate(change) {
      if (change.startsWith(SCOPES_PREFIX)) {
        const scopes = change.slice(SCOPES_PREFIX.length).split(' ')
        return scopes.includes('*') ? flushAll() : flushResponses(() => responses.flushScopes(scopes))
      }
      if (change === 'sessions') return flushSessions()
      if (UNSCOPED_ONLY_TABLES.has(change)) return flushResponses(() => responses.flushUnscoped())
      // Who may read what depends on users too (role, deactivation), so any other change flushes them all.
      flushAll()
      if (change === '*' || SESSION_TABLES.has(change)) flushSessions()
    },
    setLive(isLive) {
      // Whatever was cached before a gap may have missed a notification during it.
      flushSessions()
      flushAll()
      live = isLive
    },
    stats: () => ({
      sessions: sessions.size,
      ...responses.stats(),
      active: isActive(),
      answers: { ...answers },
    }),
  }
}

/**
 * Wires the cache (and whoever else follows changes, such as the live event hub) to the database's change
 * notifications; close the returned feed on shutdown.
 */
export function followChanges(
  cache: ReadCache,
  database: Pick<OpenDatabase, 'listenForChanges'>,
  followers: readonly ChangeHandlers[] = [],
): Promise<ChangeFeed> {
  return database.listenForChanges({
    onChange: (table) => {
      cache.invalidate(table)
      for (const follower of followers) follower.onChange(table)
    },
    onLive: (live) => {
      cache.setLive(live)
      for (const follower of followers) follower.onLive(live)
    },
  })
}
