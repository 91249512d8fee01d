// Writes query records as JSON straight into a byte buffer (json-bytes.ts), because serialisation dominates the
// cost of paging. Shapes follow the REST API query response (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm):
//  - every record starts with "attributes": {"type": T, "url": "/services/data/vXX.X/sobjects/T/Id"};
//  - selected fields are always present, in SELECT order, null when empty;
//  - parent fields nest under the relationship name with their own attributes, or the relationship is null when
//    the lookup is empty; several fields of one parent share one nested object (placed at its first mention);
//  - a parent-to-child subquery nests under its relationship name as `{"totalSize":n,"done":true,"records":[…]}`,
//    or null when the record has no such children (subquery.ts);
//  - dates "YYYY-MM-DD", datetimes "YYYY-MM-DDTHH:mm:ss.SSS+0000" (UTC), numbers and booleans as JSON literals.

import type { FieldDef, SfRecord, SfValue, SoqlDataSource } from '../org/model.js'
import type { Hop, ResolvedField } from './fields.js'
import { ByteSink } from './json-bytes.js'
import type { ChildQuery } from './subquery.js'

/**
 * Appends one record's JSON to the sink. (Caching nested parents per page was tried: the Map lookups cost more
 * than they saved.)
 */
export type RecordWriter = (rec: SfRecord, sink: ByteSink) => void
type ValueWriter = (v: SfValue, sink: ByteSink) => void

interface Scalar {
  kind: 'scalar'
  key: string
  field: FieldDef
  /** A computed column's value at the root (convertCurrency); plain fields are read by name. */
  read?: (rec: SfRecord) => SfValue
}
interface Relation {
  kind: 'relation'
  key: string
  hop: Hop
  node: OutNode
}
interface Children {
  kind: 'children'
  key: string
  query: ChildQuery
}
interface OutNode {
  entries: (Scalar | Relation | Children)[]
}

/** The children of each parent for the page being written, by the parent's 15-character id. */
export type ChildRowsOf = (query: ChildQuery) => Map<string, SfRecord[]>

/** Groups SELECT columns into the nested output shape; subqueries take their place in the SELECT list. */
function buildTree(columns: ResolvedField[], children: readonly ChildQuery[] = []): OutNode {
  const root: OutNode = { entries: [] }
  const addChildren = (position: number) => {
    for (const query of children) {
      if (query.after === position)
        root.entries.push({ kind: 'children', key: query.relationshipName, query })
    }
  }
  for (const [position, col] of columns.entries()) {
    addChildren(position)
    if (col.outputKey !== undefined) {
      root.entries.push({ kind: 'scalar', key: col.outputKey, field: col.field, read: col.get })
      continue
    }
    let node = root
    for (const hop of col.hops) {
      let rel = node.entries.find(
        (e): e is Relation => e.kind === 'relation' && e.key === hop.relationshipName,
      )
      if (!rel) {
        rel = { kind: 'relation', key: hop.relationshipName, hop, node: { entries: [] } }
        node.entries.push(rel)
      }
      node = rel.node
    }
    if (!node.entries.some((e) => e.kind === 'scalar' && e.key === col.field.name)) {
      node.entries.push({ kind: 'scalar', key: col.field.name, field: col.field })
    }
  }
  addChildren(columns.length)
  return root
}

/**
 * Compiles a writer for records of `typeName` selecting `columns`. `version` is the API version of the request
 * ("60.0"), used in attribute URLs.
 */
export function compileRecordWriter(
  typeName: string,
  columns: ResolvedField[],
  version: string,
  ds: SoqlDataSource,
  children: { queries: readonly ChildQuery[]; rowsOf: ChildRowsOf } = {
    queries: [],
    rowsOf: () => new Map(),
  },
): RecordWriter {
  const sobjectsUrl = `/services/data/v${version}/sobjects/`
  return compileNode(buildTree(columns, children.queries), typeName, sobjectsUrl, ds, children.rowsOf)
}

const NULL = Buffer.from('null')

function compileNode(
  node: OutNode,
  typeName: string,
  sobjectsUrl: string,
  ds: SoqlDataSource,
  rowsOf: ChildRowsOf = () => new Map(),
): RecordWriter {
  // Constant text is encoded once: the attributes head up to the Id, then `"}` plus the first key, and so on.
  const head = Buffer.from(
    `{"attributes":{"type":${JSON.stringify(typeName)},"url":${JSON.stringify(sobjectsUrl + typeName + '/').slice(0, -1)}`,
  )
  const prefixes: Buffer[] = []
  const writers: RecordWriter[] = []
  for (const entry of node.entries) {
    prefixes.push(Buffer.from(`,${JSON.stringify(entry.key)}:`))
    if (entry.kind === 'scalar') {
      const name = entry.field.name
      const write = valueBytesWriter(entry.field)
      const read = entry.read
      writers.push(
        read ? (rec, sink) => write(read(rec), sink) : (rec, sink) => write(rec[name] ?? null, sink),
      )
    } else if (entry.kind === 'children') {
      writers.push(childrenWriter(entry.query, sobjectsUrl, ds, rowsOf))
    } else {
      const child = compileNode(entry.node, entry.hop.target.name, sobjectsUrl, ds)
      const refName = entry.hop.refField.name
      const target = entry.hop.target.name
      writers.push((rec, sink) => {
        const id = rec[refName]
        const parent = typeof id === 'string' ? ds.findById(target, id) : undefined
        if (parent) child(parent, sink)
        else sink.bytes(NULL)
      })
    }
  }
  const afterId = Buffer.from('"}')
  const close = 0x7d // }
  const n = writers.length
  return (rec, sink) => {
    sink.bytes(head)
    sink.jsonStringBody(String(rec['Id']))
    sink.bytes(afterId)
    for (let i = 0; i < n; i++) {
      sink.bytes(prefixes[i] as Buffer)
      ;(writers[i] as RecordWriter)(rec, sink)
    }
    sink.byte(close)
  }
}

/** `{"totalSize":n,"done":true,"records":[…]}` of the record's children, or null without any. */
function childrenWriter(
  query: ChildQuery,
  sobjectsUrl: string,
  ds: SoqlDataSource,
  rowsOf: ChildRowsOf,
): RecordWriter {
  const write = compileNode(buildTree(query.columns), query.child.name, sobjectsUrl, ds)
  return (rec, sink) => {
    const rows = rowsOf(query).get(String(rec['Id']).slice(0, 15))
    if (!rows || rows.length === 0) {
      sink.bytes(NULL)
      return
    }
    sink.ascii(`{"totalSize":${rows.length},"done":true,"records":[`)
    for (const [i, row] of rows.entries()) {
      if (i > 0) sink.byte(0x2c) // ,
      write(row, sink)
    }
    sink.ascii(']}')
  }
}

const TRUE = Buffer.from('true')
const FALSE = Buffer.from('false')

/** JSON text of one stored value for the field's type (used for single records by emulator/http/format.ts). */
export function valueWriter(field: FieldDef): (v: SfValue) => string {
  const write = valueBytesWriter(field)
  return (v) => {
    const sink = new ByteSink(64)
    write(v, sink)
    return sink.result().toString('utf8')
  }
}

/** Writes one stored value as JSON for the field's type. */
function valueBytesWriter(field: FieldDef): ValueWriter {
  switch (field.type) {
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return (v, sink) => {
        if (typeof v === 'number' && Number.isFinite(v)) sink.ascii(String(v))
        else sink.bytes(NULL)
      }
    case 'boolean':
      return (v, sink) => sink.bytes(v === true ? TRUE : v === false ? FALSE : NULL)
    case 'datetime':
      return (v, sink) => {
        if (typeof v === 'number') writeDatetime(v, sink)
        else if (v === null) sink.bytes(NULL)
        else sink.jsonString(String(v))
      }
    case 'date':
    case 'id':
    case 'reference':
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'email':
    case 'phone':
    case 'url':
      return (v, sink) => {
        if (v === null) sink.bytes(NULL)
        else sink.jsonString(typeof v === 'string' ? v : String(v))
      }
  }
}

const DAY_MS = 86_400_000
/** `"YYYY-MM-DDT` per day number, encoded. */
const dayPrefixes = new Map<number, Buffer>()
const ZONE = Buffer.from('+0000"')

function dayPrefix(day: number): Buffer {
  let prefix = dayPrefixes.get(day)
  if (prefix === undefined) {
    if (dayPrefixes.size > 20_000) dayPrefixes.clear()
    prefix = Buffer.from(`"${new Date(day * DAY_MS).toISOString().slice(0, 11)}`)
    dayPrefixes.set(day, prefix)
  }
  return prefix
}

/** Writes `"2024-01-31T12:00:00.000+0000"` (the REST API's datetime form, always UTC) as digits, no strings built. */
function writeDatetime(ms: number, sink: ByteSink): void {
  const t = Math.floor(ms)
  const day = Math.floor(t / DAY_MS)
  sink.bytes(dayPrefix(day))
  let rest = t - day * DAY_MS
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const sec = Math.floor(rest / 1000)
  const milli = rest - sec * 1000
  sink.ensure(12)
  const buf = sink.buf
  let off = sink.off
  buf[off++] = 48 + Math.floor(h / 10)
  buf[off++] = 48 + (h % 10)
  buf[off++] = 0x3a // :
  buf[off++] = 48 + Math.floor(m / 10)
  buf[off++] = 48 + (m % 10)
  buf[off++] = 0x3a
  buf[off++] = 48 + Math.floor(sec / 10)
  buf[off++] = 48 + (sec % 10)
  buf[off++] = 0x2e // .
  buf[off++] = 48 + Math.floor(milli / 100)
  buf[off++] = 48 + (Math.floor(milli / 10) % 10)
  buf[off++] = 48 + (milli % 10)
  sink.off = off
  sink.bytes(ZONE)
}

/** Epoch ms → "2024-01-31T12:00:00.000+0000" as a string (job info, tests). */
export function formatDatetime(ms: number): string {
  const sink = new ByteSink(32)
  writeDatetime(ms, sink)
  return sink.result().toString('latin1').slice(1, -1)
}

export interface PageJson {
  totalSize: number
  done: boolean
  nextRecordsUrl: string | undefined
  records: SfRecord[]
  writer: RecordWriter
}

/** Sized from the previous page, so most pages never grow their buffer. */
let lastPageBytes = 1 << 20

/**
 * The whole query response body as UTF-8 bytes; key order as in Salesforce's examples: totalSize, done,
 * nextRecordsUrl, records.
 */
export function writeQueryPage(page: PageJson): Buffer {
  const sink = new ByteSink(lastPageBytes + (lastPageBytes >> 3))
  let head = `{"totalSize":${page.totalSize},"done":${page.done}`
  if (page.nextRecordsUrl !== undefined) head += `,"nextRecordsUrl":${JSON.stringify(page.nextRecordsUrl)}`
  sink.bytes(Buffer.from(head + ',"records":['))
  const { records, writer } = page
  for (let i = 0; i < records.length; i++) {
    if (i > 0) sink.byte(0x2c) // ,
    writer(records[i] as SfRecord, sink)
  }
  sink.bytes(Buffer.from(']}'))
  lastPageBytes = sink.off
  return sink.result()
}

/** One record's JSON text. */
export function recordJson(writer: RecordWriter, rec: SfRecord): string {
  const sink = new ByteSink(1024)
  writer(rec, sink)
  return sink.result().toString('utf8')
}
