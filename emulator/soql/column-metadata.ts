// `GET /query?q=...&columns=true`, which the Salesforce CLI (`sf data query`) sends to learn the columns of a query
// (salesforcecli/plugin-data src/commands/data/query.ts reads `columnMetadata[]` with `columnName`, `displayName`,
// `aggregate` and nested `joinColumns` for parent fields). This endpoint is undocumented; the other keys below mirror
// responses seen from real orgs and are UNCONFIRMED.
// Aggregate queries: a grouped field is described like a plain column; each aggregate is `aggregate: true`,
// `apexType: null`, `columnName` = its alias or `exprN`, `displayName` = the function (`avg(Amount)` in plugin-data's
// recorded fixture test/test-files/queryFields.exemplars.ts, `aggregateQuery`; whether Salesforce keeps the case
// the query was typed in is UNCONFIRMED, the emulator writes `COUNT(Id)`, `SUM(Amount)`). Without the
// aggregate columns `sf data query` prints only "Total number of records retrieved" and no table.

import type { FieldDef, FieldType } from '../org/model.js'
import type { CompiledQuery } from './compile.js'
import type { ResolvedField } from './fields.js'

interface ColumnMeta {
  aggregate: boolean
  apexType: string | null
  booleanType: boolean
  columnName: string
  custom: boolean
  displayName: string
  foreignKeyName: string | null
  insertable: boolean
  joinColumns: ColumnMeta[]
  numberType: boolean
  textType: boolean
  updatable: boolean
}

export function columnMetadata(q: CompiledQuery): Record<string, unknown> {
  const top: ColumnMeta[] = []
  for (const col of q.columns) addColumn(top, col, 0, '')
  for (const item of q.aggregate?.items ?? []) {
    if (item.kind === 'group') {
      top.push(fieldMeta(item.field.field, item.field.path))
      continue
    }
    top.push({
      ...fieldMeta(item.field.field, `${item.kind.toUpperCase()}(${item.field.path})`),
      aggregate: true,
      apexType: null,
      booleanType: false,
      columnName: item.name,
      custom: false,
      insertable: false,
      numberType: true,
      textType: false,
      updatable: false,
    })
  }
  return {
    columnMetadata: top,
    entityName: q.object.name,
    // Set for GROUP BY queries (UNCONFIRMED; the CLI does not read it).
    groupBy: (q.aggregate?.groupBy.length ?? 0) > 0,
    idSelected: q.columns.some((c) => c.hops.length === 0 && c.field.name === 'Id'),
    keyPrefix: q.object.keyPrefix,
  }
}

function addColumn(list: ColumnMeta[], col: ResolvedField, depth: number, prefix: string): void {
  if (depth === col.hops.length) {
    list.push(fieldMeta(col.field, prefix + col.field.name))
    return
  }
  const hop = col.hops[depth]
  if (!hop) return
  let rel = list.find((m) => m.columnName === hop.relationshipName && m.joinColumns.length > 0)
  if (!rel) {
    rel = {
      ...fieldMeta(hop.refField, prefix + hop.relationshipName),
      apexType: hop.target.name,
      columnName: hop.relationshipName,
      foreignKeyName: hop.refField.name,
    }
    list.push(rel)
  }
  addColumn(rel.joinColumns, col, depth + 1, `${prefix}${hop.relationshipName}.`)
}

function fieldMeta(field: FieldDef, displayName: string): ColumnMeta {
  return {
    aggregate: false,
    apexType: apexType(field.type),
    booleanType: field.type === 'boolean',
    columnName: field.name,
    custom: field.custom,
    displayName,
    foreignKeyName: null,
    insertable: field.createable,
    joinColumns: [],
    numberType: ['currency', 'double', 'percent', 'int'].includes(field.type),
    textType: ['string', 'textarea', 'picklist', 'email', 'phone', 'url', 'id', 'reference'].includes(
      field.type,
    ),
    updatable: field.updateable,
  }
}

function apexType(type: FieldType): string {
  switch (type) {
    case 'id':
    case 'reference':
      return 'Id'
    case 'currency':
    case 'double':
    case 'percent':
      return 'Double'
    case 'int':
      return 'Integer'
    case 'date':
      return 'Date'
    case 'datetime':
      return 'Datetime'
    case 'boolean':
      return 'Boolean'
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'email':
    case 'phone':
    case 'url':
      return 'String'
  }
}
