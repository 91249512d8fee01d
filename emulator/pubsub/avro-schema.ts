// Avro schemas of change events, built from the emulated object's describe. Salesforce publishes no schema file:
// each org hands its own out through GetSchema; what it documents is the ChangeEventHeader and its fields
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm)
// and that record fields arrive nullable, unchanged ones as null
// (https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/cdc_event_diff_pubsub_cometd.htm).
// Change events never carry IsDeleted, SystemModstamp or formula fields
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_message_structure.htm);
// the record id travels in the header's recordIds. Schema ids are opaque (a digest of the schema here).
import { createHash } from 'node:crypto'

import avro from 'avsc'

import type { FieldDef, FieldType, ObjectDef } from '../org/model.js'

/** changeType values (Apex EventBus.ChangeEventHeader documents the same list, SNAPSHOT reserved). */
export const CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
  'SNAPSHOT',
] as const
export type ChangeType = (typeof CHANGE_TYPES)[number]

// Also left out: "Any field whose value isn't on the record and is derived from another record", with
// LastActivityDate as the example (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_message_structure.htm);
// LastViewedDate and LastReferencedDate come from the viewing user's recently viewed data, so they count as such.
const NOT_IN_EVENTS = new Set([
  'Id',
  'IsDeleted',
  'SystemModstamp',
  'LastActivityDate',
  'LastViewedDate',
  'LastReferencedDate',
])

/**
 * Longs as BigInt: commitNumber values pass 2^53 (an SCN), so the default JS-number long would lose digits.
 * avsc's documented way to swap the long representation (LongType.__with).
 */
export const bigIntLong = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint | number) => {
    const buffer = Buffer.alloc(8)
    buffer.writeBigInt64LE(BigInt(value))
    return buffer
  },
  fromJSON: (value: number | string) => BigInt(value),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === 'bigint' || Number.isSafeInteger(value),
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
})

export interface ChangeEventSchema {
  entityName: string
  /** e.g. OpportunityChangeEvent (topic /data/OpportunityChangeEvent). */
  eventName: string
  schemaId: string
  schemaJson: string
  type: avro.Type
  /** Record fields in schema order; a field's bitmap position is its index + 1 (position 0 is the header). */
  fields: FieldDef[]
}

export function changeEventName(objectName: string): string {
  return objectName.endsWith('__c') ? `${objectName.slice(0, -3)}__ChangeEvent` : `${objectName}ChangeEvent`
}

function avroType(type: FieldType): avro.Schema {
  if (type === 'boolean') return 'boolean'
  if (type === 'int') return 'int'
  if (type === 'currency' || type === 'double' || type === 'percent') return 'double'
  if (type === 'date') return { type: 'int', logicalType: 'date' }
  if (type === 'datetime') return { type: 'long', logicalType: 'timestamp-millis' }
  return 'string'
}

const stringArray = { type: 'array', items: 'string' } as const

export function buildChangeEventSchema(definition: ObjectDef): ChangeEventSchema {
  const fields = definition.fields.filter((f) => !NOT_IN_EVENTS.has(f.name) && !f.calculated)
  const eventName = changeEventName(definition.name)
  const schema = {
    type: 'record',
    name: eventName,
    namespace: 'com.sforce.eventbus',
    fields: [
      {
        name: 'ChangeEventHeader',
        type: {
          type: 'record',
          name: 'ChangeEventHeader',
          fields: [
            { name: 'entityName', type: 'string' },
            { name: 'recordIds', type: stringArray },
            { name: 'changeType', type: { type: 'enum', name: 'ChangeType', symbols: [...CHANGE_TYPES] } },
            { name: 'changeOrigin', type: 'string' },
            { name: 'transactionKey', type: 'string' },
            { name: 'sequenceNumber', type: 'int' },
            { name: 'commitTimestamp', type: 'long' },
            { name: 'commitNumber', type: 'long' },
            { name: 'commitUser', type: 'string' },
            { name: 'nulledFields', type: stringArray },
            { name: 'diffFields', type: stringArray },
            { name: 'changedFields', type: stringArray },
          ],
        },
      },
      ...fields.map((f) => ({ name: f.name, type: ['null', avroType(f.type)], default: null })),
    ],
  }
  const schemaJson = JSON.stringify(schema)
  const schemaId = createHash('sha256').update(schemaJson).digest('base64url').slice(0, 22)
  const type = avro.Type.forSchema(schema as avro.Schema, { registry: { long: bigIntLong } })
  return { entityName: definition.name, eventName, schemaId, schemaJson, type, fields }
}

/** A stored value in the Avro form of its field: dates as days since the epoch, datetimes as epoch ms. */
export function toAvroValue(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (field.type === 'date' && typeof value === 'string') return Date.parse(`${value}T00:00:00Z`) / 86_400_000
  return value
}
