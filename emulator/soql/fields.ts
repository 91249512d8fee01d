// Resolves field paths (Name, Account.Name, Owner.Manager.Email) against describe metadata and compiles each into
// an accessor closure, so evaluating a row never looks at names again.
// SOQL names are case-insensitive; output keys use the describe spelling (Salesforce returns canonical API names).

import type { FieldDef, ObjectDef, SfRecord, SfValue, SoqlDataSource } from '../org/model.js'
import {
  SoqlError,
  invalidTypeMessage,
  locate,
  noSuchColumnMessage,
  unknownRelationshipMessage,
  unsupported,
  withPosition,
} from './errors.js'

/** One step through a lookup: the reference field on the child and the parent object it points to. */
export interface Hop {
  refField: FieldDef
  relationshipName: string
  target: ObjectDef
}

export interface ResolvedField {
  hops: Hop[]
  field: FieldDef
  /** Canonical dotted path, e.g. `Account.Name`. */
  path: string
  /** Value of the field for a root record; null when the field or any lookup on the way is empty. */
  get: (rec: SfRecord) => SfValue
  /** Set for a computed column (convertCurrency(Amount)): its key in the record, read at the root through get. */
  outputKey?: string
}

export interface ResolveContext {
  ds: SoqlDataSource
  soql: string
  root: ObjectDef
  /** `o` in `FROM Opportunity o`: a leading `o.` is dropped from paths. */
  alias: string | undefined
}

const fieldIndex = new WeakMap<ObjectDef, Map<string, FieldDef>>()
const relationshipIndex = new WeakMap<ObjectDef, Map<string, FieldDef>>()

/** Visible fields by lower-cased name. Hidden ones (field-level security) behave as if they did not exist. */
function fieldsOf(obj: ObjectDef): Map<string, FieldDef> {
  let map = fieldIndex.get(obj)
  if (!map) {
    map = new Map()
    for (const f of obj.fields) if (f.visible !== false) map.set(f.name.toLowerCase(), f)
    fieldIndex.set(obj, map)
  }
  return map
}

function relationshipsOf(obj: ObjectDef): Map<string, FieldDef> {
  let map = relationshipIndex.get(obj)
  if (!map) {
    map = new Map()
    for (const f of obj.fields) {
      if (f.visible !== false && f.type === 'reference' && f.relationshipName)
        map.set(f.relationshipName.toLowerCase(), f)
    }
    relationshipIndex.set(obj, map)
  }
  return map
}

export function findField(obj: ObjectDef, name: string): FieldDef | undefined {
  return fieldsOf(obj).get(name.toLowerCase())
}

/** Looks up the FROM object; unknown or non-queryable types are INVALID_TYPE with Salesforce's caret prefix. */
export function resolveObject(ds: SoqlDataSource, soql: string, name: string): ObjectDef {
  const obj = ds.describeObject(name)
  if (!obj || !obj.queryable) {
    const fromAt = Math.max(0, soql.toLowerCase().search(/\bfrom\b/))
    throw new SoqlError(
      'INVALID_TYPE',
      withPosition(soql, locate(soql, name, fromAt), invalidTypeMessage(name)),
    )
  }
  return obj
}

/**
 * Resolves `raw` (as written in the query) relative to the root object. `searchFrom` is where the clause that
 * contains it starts, for the error caret.
 */
export function resolveField(raw: string, ctx: ResolveContext, searchFrom: number): ResolvedField {
  let segments = raw.split('.')
  if (segments.length > 1 && ctx.alias && segments[0]?.toLowerCase() === ctx.alias.toLowerCase()) {
    segments = segments.slice(1)
  }
  const fail = (message: string): never => {
    throw new SoqlError('INVALID_FIELD', withPosition(ctx.soql, locate(ctx.soql, raw, searchFrom), message))
  }
  const hops: Hop[] = []
  let current = ctx.root
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i] as string
    const ref = relationshipsOf(current).get(seg.toLowerCase())
    if (!ref) {
      // `SELECT Opportunity.Name FROM Opportunity` names the root object itself, which SOQL allows.
      if (i === 0 && seg.toLowerCase() === ctx.root.name.toLowerCase()) continue
      return fail(unknownRelationshipMessage(seg))
    }
    if (ref.referenceTo.length !== 1) throw unsupported(`Polymorphic relationship '${seg}'`)
    const target = ctx.ds.describeObject(ref.referenceTo[0] as string)
    if (!target) return fail(unknownRelationshipMessage(seg))
    hops.push({ refField: ref, relationshipName: ref.relationshipName as string, target })
    current = target
  }
  const last = segments[segments.length - 1] as string
  const field = findField(current, last)
  if (!field) return fail(noSuchColumnMessage(last, current.name))
  const path = [...hops.map((h) => h.relationshipName), field.name].join('.')
  return { hops, field, path, get: compileGetter(ctx.ds, hops, field.name) }
}

/** Closure that walks the lookups with findById and reads the final field. */
function compileGetter(ds: SoqlDataSource, hops: Hop[], name: string): (rec: SfRecord) => SfValue {
  if (hops.length === 0) return (rec) => rec[name] ?? null
  const parent = compileParentGetter(ds, hops)
  return (rec) => {
    const p = parent(rec)
    return p ? (p[name] ?? null) : null
  }
}

/** Closure returning the record at the end of `hops` (undefined when any lookup is empty or dangling). */
export function compileParentGetter(
  ds: SoqlDataSource,
  hops: Hop[],
): (rec: SfRecord) => SfRecord | undefined {
  let getter: (rec: SfRecord) => SfRecord | undefined = (rec) => rec
  for (const hop of hops) {
    const prev = getter
    const refName = hop.refField.name
    const targetName = hop.target.name
    getter = (rec) => {
      const child = prev(rec)
      const id = child?.[refName]
      return typeof id === 'string' ? ds.findById(targetName, id) : undefined
    }
  }
  return getter
}
