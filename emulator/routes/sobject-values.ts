// Checks a create/update body the way the sObject resources do (REST API "sObject Basic Information" and
// "sObject Rows"; error codes from the API's StatusCode list, https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm):
// * unknown or hidden field → INVALID_FIELD "No such column 'X' on sobject of type T";
// * read-only field → INVALID_FIELD_FOR_INSERT_UPDATE;
// * a value of the wrong JSON type → JSON_PARSER_ERROR "Cannot deserialize instance of <type> from VALUE_STRING value …";
// * a text value over the field's length → STRING_TOO_LONG;
// * a value outside a restricted picklist's active values → INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST "bad value for
//   restricted picklist field: X" (StatusCode list, https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm;
//   message wording UNCONFIRMED, as commonly reported);
// * a lookup that is not an id → MALFORMED_ID; an id of another object → FIELD_INTEGRITY_EXCEPTION; an id of no
//   live record → INVALID_CROSS_REFERENCE_KEY (these three messages are UNCONFIRMED, codes as commonly reported);
// * a required field missing on create or nulled on update → REQUIRED_FIELD_MISSING "Required fields are missing: [A, B]".
// Values are converted to the store's compact form (datetime → epoch ms).
import type { FieldDef, SfRecord, SfValue } from '../org/model.js'
import { isValidId } from '../org/ids.js'
import type { RecordStore } from '../org/record-store.js'
import { noSuchColumnMessage } from '../soql/errors.js'

export interface WriteError {
  errorCode: string
  message: string
  fields?: string[]
}

const TEXT_TYPES = new Set(['string', 'textarea', 'picklist', 'email', 'phone', 'url'])
const NUMBER_TYPES = new Set(['currency', 'double', 'percent', 'int'])

/** Fields the API fills in itself on create, so a missing value is not an error. */
const DEFAULTED_ON_CREATE = new Set(['OwnerId'])

function requiredFields(fields: FieldDef[]): FieldDef[] {
  return fields.filter(
    (f) => !f.nillable && f.createable && f.type !== 'boolean' && !DEFAULTED_ON_CREATE.has(f.name),
  )
}

function deserializeError(field: FieldDef, value: unknown): WriteError {
  const token =
    typeof value === 'string' ? 'VALUE_STRING' : typeof value === 'number' ? 'VALUE_NUMBER' : 'START_OBJECT'
  return {
    errorCode: 'JSON_PARSER_ERROR',
    message: `Cannot deserialize instance of ${field.type} from ${token} value ${JSON.stringify(value)} or request may be missing a required field`,
  }
}

function convert(store: RecordStore, field: FieldDef, value: unknown): SfValue | WriteError {
  if (value === null) return null
  if (TEXT_TYPES.has(field.type)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      return deserializeError(field, value)
    const text = String(value)
    if (field.length > 0 && text.length > field.length)
      return {
        errorCode: 'STRING_TOO_LONG',
        message: `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`,
        fields: [field.name],
      }
    if (field.restrictedPicklist && !field.picklistValues.some((p) => p.active && p.value === text))
      return {
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: `${field.label}: bad value for restricted picklist field: ${text}`,
        fields: [field.name],
      }
    return text
  }
  if (NUMBER_TYPES.has(field.type)) {
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
    if (!Number.isFinite(number) || (typeof value === 'string' && value.trim() === ''))
      return deserializeError(field, value)
    return field.type === 'int' ? Math.trunc(number) : number
  }
  if (field.type === 'boolean') return typeof value === 'boolean' ? value : deserializeError(field, value)
  if (field.type === 'date') {
    if (
      typeof value !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}/.test(value) ||
      Number.isNaN(Date.parse(value.slice(0, 10)))
    )
      return deserializeError(field, value)
    return value.slice(0, 10)
  }
  if (field.type === 'datetime') {
    const ms = typeof value === 'string' ? Date.parse(value) : NaN
    return Number.isNaN(ms) ? deserializeError(field, value) : ms
  }
  // id and reference
  if (typeof value !== 'string' || !isValidId(value))
    return {
      errorCode: 'MALFORMED_ID',
      message: `${field.label}: id value of incorrect type: ${JSON.stringify(value)}`,
      fields: [field.name],
    }
  const target = store.objectForId(value)
  if (!target || !field.referenceTo.includes(target))
    return {
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: `${field.label}: id value of incorrect type: ${value}`,
      fields: [field.name],
    }
  const parent = store.findById(target, value)
  if (!parent || parent['IsDeleted'] === true)
    return {
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: `invalid cross reference id`,
      fields: [field.name],
    }
  return String(parent['Id'])
}

/** The body as store values, or the first error Salesforce would report. */
export function checkWrite(
  store: RecordStore,
  objectName: string,
  body: unknown,
  mode: 'create' | 'update',
): { values: SfRecord } | { error: WriteError } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { error: { errorCode: 'JSON_PARSER_ERROR', message: 'The request body must be a JSON object' } }
  const visible = store.visibleFields(objectName)
  const fields = new Map(visible.map((f) => [f.name.toLowerCase(), f]))
  const values: SfRecord = {}
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') continue
    const field = fields.get(key.toLowerCase())
    if (!field)
      return {
        error: {
          errorCode: 'INVALID_FIELD',
          message: `No such column '${key}' on sobject of type ${objectName}`,
        },
      }
    if (!(mode === 'create' ? field.createable : field.updateable))
      return {
        error: {
          errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          fields: [field.name],
        },
      }
    const converted = convert(store, field, value)
    if (converted !== null && typeof converted === 'object') return { error: converted }
    values[field.name] = converted
  }
  const missing = requiredFields(visible)
    .filter((f) => (mode === 'create' ? values[f.name] == null : f.name in values && values[f.name] === null))
    .map((f) => f.name)
  if (missing.length > 0)
    return {
      error: {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: `Required fields are missing: [${missing.join(', ')}]`,
        fields: missing,
      },
    }
  return { values }
}

/** Objects the emulated user may read but not write through the API (setup objects). */
export const READ_ONLY_OBJECTS = new Set(['OpportunityStage', 'Organization'])

/** Create values with the API's own default: the creating user owns the record (User has no owner). */
export function withDefaultOwner(objectName: string, values: SfRecord, userId: string): SfRecord {
  return objectName === 'User' ? values : { OwnerId: userId, ...values }
}

export type RowLookup = { record: SfRecord } | { error: WriteError & { status: number } }

/**
 * The live record a write (update, delete) is for, or the error Salesforce gives: a malformed id is 400
 * MALFORMED_ID, an unknown one 404 NOT_FOUND, one in the recycle bin 404 ENTITY_IS_DELETED "entity is deleted".
 */
export function lookupForWrite(store: RecordStore, objectName: string, id: string): RowLookup {
  if (!isValidId(id))
    return {
      error: {
        status: 400,
        errorCode: 'MALFORMED_ID',
        message: `${objectName} ID: id value of incorrect type: ${id}`,
      },
    }
  const record = store.findById(objectName, id)
  if (!record)
    return {
      error: { status: 404, errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    }
  if (record['IsDeleted'] === true)
    return { error: { status: 404, errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' } }
  return { record }
}

/**
 * The fields a `fields` parameter (comma-separated, any case) names, every visible field when absent, or the
 * INVALID_FIELD text for the first unknown or hidden one.
 */
export function selectedFields(
  store: RecordStore,
  objectName: string,
  param: unknown,
): { fields: FieldDef[] } | { error: string } {
  const visible = store.visibleFields(objectName)
  if (typeof param !== 'string' || param.trim() === '') return { fields: visible }
  const byName = new Map(visible.map((f) => [f.name.toLowerCase(), f]))
  const fields: FieldDef[] = []
  for (const raw of param.split(',')) {
    const field = byName.get(raw.trim().toLowerCase())
    if (!field) return { error: noSuchColumnMessage(raw.trim(), objectName) }
    fields.push(field)
  }
  return { fields }
}
