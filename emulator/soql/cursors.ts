// Query cursors behind nextRecordsUrl. A cursor keeps the ordered references to the records that matched when
// the query ran (a snapshot of *which* rows and in what order); each page is formatted when requested, from the
// records' current values (looked up again by Id) — Salesforce does not document whether later edits show up in
// later pages, so this choice is UNCONFIRMED.
// Lifetime: since API 56.0 cursors live 2 days with no limit on their number (resources_query_more_results.htm;
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm), measured on the org clock. The emulator still bounds memory: past `maxCursors` or `maxRows` held in
// total, the least recently used cursors are dropped, and their locators answer INVALID_QUERY_LOCATOR like expired ones.

import type { SfRecord } from '../org/model.js'
import type { CompiledQuery } from './compile.js'
import { SoqlError } from './errors.js'
import { randomId18 } from './ids.js'

export const CURSOR_TTL_MS = 2 * 24 * 60 * 60 * 1000

export interface Cursor {
  id: string
  query: CompiledQuery
  rows: SfRecord[]
  createdAt: number
}

export interface CursorStoreOptions {
  now: () => number
  ttlMs?: number
  maxCursors?: number
  maxRows?: number
}

export class CursorStore {
  // A Map iterates in insertion order; touching a cursor re-inserts it, so the first entry is the least recently used.
  private readonly cursors = new Map<string, Cursor>()
  private rowsHeld = 0
  private readonly now: () => number
  private readonly ttlMs: number
  private readonly maxCursors: number
  private readonly maxRows: number

  constructor(opts: CursorStoreOptions) {
    this.now = opts.now
    this.ttlMs = opts.ttlMs ?? CURSOR_TTL_MS
    this.maxCursors = opts.maxCursors ?? 2000
    this.maxRows = opts.maxRows ?? 5_000_000
  }

  create(query: CompiledQuery, rows: SfRecord[]): Cursor {
    this.sweep()
    const cursor: Cursor = { id: randomId18('01g'), query, rows, createdAt: this.now() }
    this.cursors.set(cursor.id, cursor)
    this.rowsHeld += rows.length
    while (this.cursors.size > 1 && (this.cursors.size > this.maxCursors || this.rowsHeld > this.maxRows)) {
      const oldest = this.cursors.keys().next().value as string
      this.drop(oldest)
    }
    return cursor
  }

  /** Resolves a locator `<cursorId>-<offset>`; unknown, expired, evicted or out-of-range → INVALID_QUERY_LOCATOR. */
  resolve(locator: string): { cursor: Cursor; offset: number } {
    const m = /^([A-Za-z0-9]+)-(\d+)$/.exec(locator)
    const cursor = m ? this.cursors.get(m[1] as string) : undefined
    const offset = m ? Number(m[2]) : NaN
    if (
      !cursor ||
      this.now() - cursor.createdAt > this.ttlMs ||
      !(offset >= 0 && offset < cursor.rows.length)
    ) {
      if (cursor && this.now() - cursor.createdAt > this.ttlMs) this.drop(cursor.id)
      // errorCode from errorcodes.htm; message "invalid query locator" as reported by clients (restforce #67); HTTP 400 UNCONFIRMED.
      throw new SoqlError('INVALID_QUERY_LOCATOR', 'invalid query locator')
    }
    this.cursors.delete(cursor.id)
    this.cursors.set(cursor.id, cursor)
    return { cursor, offset }
  }

  /** Whether a cursor is still held (not expired or evicted), without touching its recency. */
  has(id: string): boolean {
    const c = this.cursors.get(id)
    return c !== undefined && this.now() - c.createdAt <= this.ttlMs
  }

  get size(): number {
    return this.cursors.size
  }

  clear(): void {
    this.cursors.clear()
    this.rowsHeld = 0
  }

  private drop(id: string): void {
    const c = this.cursors.get(id)
    if (!c) return
    this.cursors.delete(id)
    this.rowsHeld -= c.rows.length
  }

  private sweep(): void {
    const now = this.now()
    for (const c of this.cursors.values()) if (now - c.createdAt > this.ttlMs) this.drop(c.id)
  }
}
