// The read cache's answers (read-cache.ts), each either unscoped or tagged with the scopes it depends on.
//   - An unscoped answer (the portal's lists) may depend on any table: every change flushes it.
//   - A scoped answer (a feed page, the bell) depends only on its scopes, 'u:<user id>' and 'o:<opportunity
//     id>', besides the tables whose change flushes everything: a post on one deal flushes that deal's feed
//     pages and the bells it touched, not every answer of every user.
// Stale answers are kept out by flush marks, not lifetimes: a read takes mark() before it starts, and its
// answer is stored only if nothing it depends on was flushed after that mark. Scopes remember the mark of
// their last flush; when that memory is trimmed, reads older than the trim are refused as if flushed.
import { LRUCache } from 'lru-cache'

const TTL_MS = 60_000
const MAX_REMEMBERED_FLUSHES = 100_000

interface Stored {
  json: string
  scopes: readonly string[] | undefined
}

export interface ResponseStore {
  /** The flush mark now: pass it to remember() for what a read starting now returns. */
  mark(): number
  get(key: string): string | undefined
  /** Keeps `json` unless something it depends on (all, or `scopes`) was flushed after `mark`. */
  remember(key: string, json: string, mark: number, scopes: readonly string[] | undefined): void
  /** Every answer, scoped or not. */
  flushAll(): void
  /** The answers that depend on any change (unscoped ones). */
  flushUnscoped(): void
  /** The scoped answers depending on any of `scopes`, and every unscoped one. */
  flushScopes(scopes: readonly string[]): void
  stats(): { responses: number; responseBytes: number }
}

export function createResponseStore(maxBytes: number): ResponseStore {
  let seq = 0
  let allFlushedAt = 0
  let unscopedFlushedAt = 0
  // Reads that started at or before this mark may have missed a flush whose scope is no longer remembered.
  let forgottenUpTo = 0
  const scopeFlushedAt = new Map<string, number>()
  const keysOfScope = new Map<string, Set<string>>()
  const unscopedKeys = new Set<string>()

  const responses = new LRUCache<string, Stored>({
    maxSize: maxBytes,
    // UTF-16 strings: two bytes per code unit, plus the key.
    sizeCalculation: (stored, key) => 2 * (stored.json.length + key.length),
    ttl: TTL_MS,
    dispose: (stored, key) => {
      if (!stored.scopes) return void unscopedKeys.delete(key)
      for (const scope of stored.scopes) {
        const keys = keysOfScope.get(scope)
        keys?.delete(key)
        if (keys?.size === 0) keysOfScope.delete(scope)
      }
    },
  })

  const flushedSince = (mark: number, scopes: readonly string[] | undefined): boolean => {
    if (mark < allFlushedAt) return true
    if (!scopes) return mark < unscopedFlushedAt
    if (mark < forgottenUpTo) return true
    return scopes.some((scope) => mark < (scopeFlushedAt.get(scope) ?? 0))
  }

  const flushUnscoped = () => {
    unscopedFlushedAt = ++seq
    for (const key of [...unscopedKeys]) responses.delete(key)
  }

  return {
    mark: () => seq,
    get: (key) => responses.get(key)?.json,
    remember(key, json, mark, scopes) {
      if (flushedSince(mark, scopes)) return
      responses.set(key, { json, scopes })
      // lru-cache refuses, without a word, an answer larger than the whole cache: nothing to index then.
      if (!responses.has(key)) return
      if (!scopes) return void unscopedKeys.add(key)
      for (const scope of scopes) {
        const keys = keysOfScope.get(scope) ?? new Set<string>()
        keys.add(key)
        keysOfScope.set(scope, keys)
      }
    },
    flushAll() {
      allFlushedAt = ++seq
      responses.clear()
    },
    flushUnscoped,
    flushScopes(scopes) {
      flushUnscoped()
      if (scopeFlushedAt.size + scopes.length > MAX_REMEMBERED_FLUSHES) {
        forgottenUpTo = seq
        scopeFlushedAt.clear()
      }
      for (const scope of scopes) {
        scopeFlushedAt.set(scope, seq)
        for (const key of [...(keysOfScope.get(scope) ?? [])]) responses.delete(key)
      }
    },
    stats: () => ({ responses: responses.size, responseBytes: responses.calculatedSize }),
  }
}
