// Shared shapes of the emulated org. The org store (emulator/org/) implements SoqlDataSource;
// the SOQL engine and Bulk API 2.0 (emulator/soql/, emulator/routes/query.ts, bulk2.ts) only read through it.

/** Salesforce describe field types we emulate (subset of the SOAP/REST `type` values). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'

export interface PicklistValue {
  value: string
  label: string
  active: boolean
  defaultValue: boolean
}

export interface FieldDef {
  /** API name, e.g. `StageName`, `Region__c`. */
  name: string
  label: string
  type: FieldType
  nillable: boolean
  createable: boolean
  updateable: boolean
  calculated: boolean
  filterable: boolean
  sortable: boolean
  custom: boolean
  length: number
  precision: number
  scale: number
  /** For `reference` fields: the parent object(s) and the relationship name used in SOQL paths (`Account`, `Owner`). */
  referenceTo: string[]
  relationshipName: string | null
  picklistValues: PicklistValue[]
  /** Describe's `restrictedPicklist`: only the value set's active values are accepted (set by the control API). */
  restrictedPicklist?: boolean
  /** False when field-level security hides it from the current user: describe omits it and SOQL says INVALID_FIELD. */
  visible?: boolean
}

export interface ObjectDef {
  name: string
  label: string
  labelPlural: string
  keyPrefix: string
  custom: boolean
  queryable: boolean
  fields: FieldDef[]
}

/**
 * A stored record. Keys are field API names. Values are kept compactly:
 * datetime → epoch milliseconds (number), date → 'YYYY-MM-DD', numbers → number, booleans → boolean, empty → null.
 * Formatting into Salesforce's wire form happens only at the HTTP edge.
 */
export type SfValue = string | number | boolean | null
export type SfRecord = Record<string, SfValue>

/** What the SOQL engine needs from the org. */
export interface SoqlDataSource {
  /** Describe of an object visible to the API, or undefined when the type does not exist (→ INVALID_TYPE). */
  describeObject(objectName: string): ObjectDef | undefined
  /** All rows of an object, including soft-deleted ones (IsDeleted = true); the engine filters for /query vs /queryAll. */
  allRecords(objectName: string): Iterable<SfRecord>
  /** A parent record by id for relationship paths (Account.Name, Owner.Email), deleted or not. */
  findById(objectName: string, id: string): SfRecord | undefined
  /** Current emulated time in epoch ms (the control API can move the clock). */
  now(): number
}
