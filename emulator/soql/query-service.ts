// REST query paging on top of the engine: runs a query once, keeps a cursor, and writes pages as JSON text.
// Paging rules (resources_query.htm, resources_query_more_results.htm, headers_queryoptions.htm under
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/):
//  - batch size from `Sforce-Query-Options: batchSize=N`, default 2000, clamped to 200..2000;
//  - nextRecordsUrl `/services/data/vXX.X/query/<cursorId>-<offset>` only while done is false — also for queryAll,
//    whose next URL says /query/ too;
//  - `SELECT COUNT()` answers with the count in totalSize and no records.

import type { SfRecord, SfValue, SoqlDataSource } from '../org/model.js'
import { runAggregate, writeAggregatePage } from './aggregate.js'
import { compileQuery, type CompiledQuery } from './compile.js'
import { CursorStore, type Cursor } from './cursors.js'
import { runQuery } from './execute.js'
import { compileRecordWriter, writeQueryPage, type RecordWriter } from './format-json.js'
import { childRows, type ChildQuery } from './subquery.js'

export const DEFAULT_BATCH_SIZE = 2000
export const MIN_BATCH_SIZE = 200
export const MAX_BATCH_SIZE = 2000

/** Reads batchSize from a Sforce-Query-Options header value ("batchSize=500"); invalid or missing → default. */
export function batchSizeFromHeader(header: string | string[] | undefined): number {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '')
  const m = /batchSize\s*=\s*(\d+)/i.exec(text)
  if (!m) return DEFAULT_BATCH_SIZE
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(m[1])))
}

export interface PageRequest {
  /** API version of the request, without the v ("60.0"): used in nextRecordsUrl and attribute URLs. */
  version: string
  batchSize: number
}

/** Cursors that may hold one page prepared ahead of the client's request. */
const MAX_PREFETCHED = 4

interface Built {
  body: Buffer
  end: number
  records: SfRecord[]
  stamps: SfValue[]
}

interface Prefetched extends Built {
  cursor: Cursor
  offset: number
  version: string
  batchSize: number
}

export class QueryService {
  readonly cursors: CursorStore
  private prefetched: Prefetched[] = []
  // Writers depend on the query and the version only; cached per cursor so each page reuses the compiled closures.
  private readonly writers = new WeakMap<CompiledQuery, Map<string, RecordWriter>>()
  // Children of the page being written (subquery.ts), gathered once per page from the records as they are now.
  private readonly childrenOfPage = new WeakMap<ChildQuery, Map<string, SfRecord[]>>()

  constructor(
    private readonly ds: SoqlDataSource,
    cursors?: CursorStore,
  ) {
    this.cursors = cursors ?? new CursorStore({ now: () => ds.now() })
  }

  /** Parses and validates only (throws SoqlError); used by `columns=true` and Bulk job creation. */
  compile(soql: string): CompiledQuery {
    return compileQuery(soql, this.ds)
  }

  /**
   * First page of /query or /queryAll, as the JSON response body (UTF-8). Takes SOQL or what compile() made of it.
   * `onUse` hears which records a FOR VIEW / FOR REFERENCE query retrieved (all of them, not only the first page).
   */
  start(
    soql: string | CompiledQuery,
    includeDeleted: boolean,
    req: PageRequest,
    onUse?: (q: CompiledQuery, rows: readonly SfRecord[]) => void,
  ): Buffer {
    const q = typeof soql === 'string' ? compileQuery(soql, this.ds) : soql
    const rows = runQuery(q, this.ds, { includeDeleted })
    // Aggregate and COUNT() queries retrieve no records, so there is nothing to mark (the SOQL reference is
    // silent on FOR VIEW with them).
    if (q.use && onUse && !q.aggregate && !q.isCount) onUse(q, rows)
    if (q.aggregate) return writeAggregatePage(runAggregate(q.aggregate, rows))
    if (q.isCount) {
      return writeQueryPage({
        totalSize: rows.length,
        done: true,
        nextRecordsUrl: undefined,
        records: [],
        writer: () => undefined,
      })
    }
    if (rows.length <= req.batchSize) return this.page(q, rows, 0, undefined, req)
    const cursor = this.cursors.create(q, rows)
    return this.page(q, rows, 0, cursor, req)
  }

  /** A later page for a locator from nextRecordsUrl (under /query/ or /queryAll/). */
  more(locator: string, req: PageRequest): Buffer {
    const { cursor, offset } = this.cursors.resolve(locator)
    const ready = this.takePrefetched(cursor, offset, req)
    if (ready) {
      if (ready.end < cursor.rows.length) this.schedulePrefetch(cursor, ready.end, req)
      return ready.body
    }
    return this.page(cursor.query, cursor.rows, offset, cursor, req)
  }

  private page(
    q: CompiledQuery,
    rows: SfRecord[],
    offset: number,
    cursor: Cursor | undefined,
    req: PageRequest,
  ): Buffer {
    const built = this.build(q, rows, offset, cursor, req)
    if (cursor && built.end < rows.length) this.schedulePrefetch(cursor, built.end, req)
    return built.body
  }

  private build(
    q: CompiledQuery,
    rows: SfRecord[],
    offset: number,
    cursor: Cursor | undefined,
    req: PageRequest,
  ): Built {
    const end = Math.min(rows.length, offset + req.batchSize)
    const done = end >= rows.length
    const typeName = q.object.name
    const records = new Array<SfRecord>(end - offset)
    for (let i = offset; i < end; i++) {
      const snap = rows[i] as SfRecord
      const id = snap['Id']
      // Current values of the snapshotted rows; a row purged since falls back to its snapshot.
      records[i - offset] = (typeof id === 'string' ? this.ds.findById(typeName, id) : undefined) ?? snap
    }
    for (const child of q.children) this.childrenOfPage.set(child, childRows(child, this.ds))
    const body = writeQueryPage({
      totalSize: rows.length,
      done,
      nextRecordsUrl:
        done || !cursor ? undefined : `/services/data/v${req.version}/query/${cursor.id}-${end}`,
      records,
      writer: this.writerFor(q, req.version),
    })
    return { body, end, records, stamps: records.map((r) => r['SystemModstamp'] ?? null) }
  }

  /**
   * Clients page one request at a time, so while one parses a page the next is prepared on the server's own core.
   * Only a few cursors keep a prepared page (bounded memory), and it is used only if the same page is asked for.
   */
  private schedulePrefetch(cursor: Cursor, offset: number, req: PageRequest): void {
    setImmediate(() => {
      if (!this.cursors.has(cursor.id)) return
      const built = this.build(cursor.query, cursor.rows, offset, cursor, req)
      this.prefetched = this.prefetched.filter((p) => p.cursor !== cursor)
      this.prefetched.push({ ...built, cursor, offset, version: req.version, batchSize: req.batchSize })
      if (this.prefetched.length > MAX_PREFETCHED) this.prefetched.shift()
    })
  }

  /**
   * A prepared page, if it is the one requested and none of its rows changed since (same record object, same
   * SystemModstamp — the org store moves it on every change). A change to a parent record alone is not detected,
   * so such a page can show parent values from when it was prepared, one request earlier.
   */
  private takePrefetched(cursor: Cursor, offset: number, req: PageRequest): Built | undefined {
    const index = this.prefetched.findIndex((p) => p.cursor === cursor)
    const hit = this.prefetched[index]
    if (!hit) return undefined
    this.prefetched.splice(index, 1)
    if (hit.offset !== offset || hit.version !== req.version || hit.batchSize !== req.batchSize)
      return undefined
    const typeName = cursor.query.object.name
    for (let i = 0; i < hit.records.length; i++) {
      const rec = hit.records[i] as SfRecord
      const id = rec['Id']
      const current = typeof id === 'string' ? this.ds.findById(typeName, id) : undefined
      if ((current ?? rec) !== rec || (rec['SystemModstamp'] ?? null) !== hit.stamps[i]) return undefined
    }
    return hit
  }

  private writerFor(q: CompiledQuery, version: string): RecordWriter {
    let byVersion = this.writers.get(q)
    if (!byVersion) {
      byVersion = new Map()
      this.writers.set(q, byVersion)
    }
    let w = byVersion.get(version)
    if (!w) {
      w = compileRecordWriter(q.object.name, q.columns, version, this.ds, {
        queries: q.children,
        rowsOf: (child) => this.childrenOfPage.get(child) ?? new Map(),
      })
      byVersion.set(version, w)
    }
    return w
  }
}
