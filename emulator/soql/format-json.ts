// Writes query records as JSON text directly (string building per record), because serialisation dominates the
// cost of paging. Shapes follow the REST API query response (resources_query.htm; digest §2.3):
//  - every record starts with "attributes": {"type": T, "url": "/services/data/vXX.X/sobjects/T/Id"};
//  - selected fields are always present, in SELECT order, null when empty;
//  - parent fields nest under the relationship name with their own attributes, or the relationship is null when
//    the lookup is empty; several fields of one parent share one nested object (placed at its first mention);
//  - dates "YYYY-MM-DD", datetimes "YYYY-MM-DDTHH:mm:ss.SSS+0000" (UTC), numbers and booleans as JSON literals.

import type { FieldDef, SfRecord, SfValue, SoqlDataSource } from '../org/model.js'
import type { Hop, ResolvedField } from './fields.js'

/** A whole record as JSON text. (Caching nested parents per page was tried: the Map lookups cost more than they saved.) */
export type RecordWriter = (rec: SfRecord) => string

interface Scalar {
  kind: 'scalar'
  key: string
  field: FieldDef
}
interface Relation {
  kind: 'relation'
  key: string
  hop: Hop
  node: OutNode
}
interface OutNode {
  entries: (Scalar | Relation)[]
}

/** Groups SELECT columns into the nested output shape. */
function buildTree(columns: ResolvedField[]): OutNode {
  const root: OutNode = { entries: [] }
  for (const col of columns) {
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
): RecordWriter {
  return compileNode(buildTree(columns), typeName, `/services/data/v${version}/sobjects/`, ds)
}

function compileNode(node: OutNode, typeName: string, sobjectsUrl: string, ds: SoqlDataSource): RecordWriter {
  const head = `{"attributes":{"type":${JSON.stringify(typeName)},"url":"${sobjectsUrl}${typeName}/`
  const prefixes: string[] = []
  const writers: RecordWriter[] = []
  for (const entry of node.entries) {
    prefixes.push(`,${JSON.stringify(entry.key)}:`)
    if (entry.kind === 'scalar') {
      const name = entry.field.name
      const write = valueWriter(entry.field)
      writers.push((rec) => write(rec[name] ?? null))
    } else {
      const child = compileNode(entry.node, entry.hop.target.name, sobjectsUrl, ds)
      const refName = entry.hop.refField.name
      const target = entry.hop.target.name
      writers.push((rec) => {
        const id = rec[refName]
        const parent = typeof id === 'string' ? ds.findById(target, id) : undefined
        return parent ? child(parent) : 'null'
      })
    }
  }
  const n = writers.length
  return (rec) => {
    let s = head + String(rec['Id']) + '"}'
    for (let i = 0; i < n; i++) s += (prefixes[i] as string) + (writers[i] as RecordWriter)(rec)
    return s + '}'
  }
}

/** JSON text of one stored value for the field's type. */
export function valueWriter(field: FieldDef): (v: SfValue) => string {
  switch (field.type) {
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : 'null')
    case 'boolean':
      return (v) => (v === true ? 'true' : v === false ? 'false' : 'null')
    case 'datetime':
      return (v) =>
        typeof v === 'number' ? `"${formatDatetime(v)}"` : v === null ? 'null' : JSON.stringify(v)
    case 'date':
    case 'id':
    case 'reference':
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'email':
    case 'phone':
    case 'url':
      return (v) => (v === null ? 'null' : JSON.stringify(typeof v === 'string' ? v : String(v)))
  }
}

const DAY_MS = 86_400_000
const dayPrefixes = new Map<number, string>()

/**
 * Epoch ms → "2024-01-31T12:00:00.000+0000", the REST API's datetime form (always UTC). Hand-rolled with a cache of
 * the "YYYY-MM-DDT" part per day, because Date#toISOString costs several times more and runs for every datetime cell.
 */
export function formatDatetime(ms: number): string {
  const t = Math.floor(ms)
  const day = Math.floor(t / DAY_MS)
  let prefix = dayPrefixes.get(day)
  if (prefix === undefined) {
    if (dayPrefixes.size > 20_000) dayPrefixes.clear()
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11)
    dayPrefixes.set(day, prefix)
  }
  let rest = t - day * DAY_MS
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const sec = Math.floor(rest / 1000)
  const milli = rest - sec * 1000
  return `${prefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}+0000`
}

export interface PageJson {
  totalSize: number
  done: boolean
  nextRecordsUrl: string | undefined
  records: SfRecord[]
  writer: RecordWriter
}

/** Grows by doubling; starts from the size of the previous page so most pages never copy. */
let lastPageBytes = 1 << 20

/**
 * The whole query response body as UTF-8 bytes; key order as in Salesforce's examples: totalSize, done,
 * nextRecordsUrl, records. Each record's text (a short string) is encoded straight into one buffer: building the
 * page as one long concatenated string costs more (rope flattening, GC) and would still need encoding on send.
 */
export function writeQueryPage(page: PageJson): Buffer {
  let head = `{"totalSize":${page.totalSize},"done":${page.done}`
  if (page.nextRecordsUrl !== undefined) head += `,"nextRecordsUrl":${JSON.stringify(page.nextRecordsUrl)}`
  head += ',"records":['
  let buf = Buffer.allocUnsafe(Math.max(lastPageBytes + (lastPageBytes >> 3), head.length * 3 + 16))
  let off = buf.write(head, 0)
  const { records, writer } = page
  for (let i = 0; i < records.length; i++) {
    const text = writer(records[i] as SfRecord)
    // 3 bytes per UTF-16 unit is the UTF-8 worst case; +3 for the comma and the closing "]}".
    if (buf.length - off < text.length * 3 + 3) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, off + text.length * 3 + 3))
      buf.copy(bigger, 0, 0, off)
      buf = bigger
    }
    if (i > 0) buf[off++] = 0x2c // ,
    off += buf.write(text, off)
  }
  buf[off++] = 0x5d // ]
  buf[off++] = 0x7d // }
  lastPageBytes = off
  return buf.subarray(0, off)
}

/** One record's JSON text. */
export function recordJson(writer: RecordWriter, rec: SfRecord): string {
  return writer(rec)
}
