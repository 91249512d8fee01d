// Avro change events (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-deserialization-considerations.html):
// each event names the schema it was written with; the schema comes from GetSchema and is kept by id (the id
// changes whenever the event's definition changes, so an unknown id is fetched, never guessed:
// https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/platform_events_event_schema_pubsub_api.htm).
// The header is the documented ChangeEventHeader
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm).
import avro from 'avsc'

import { SalesforceError } from '../salesforce-errors.js'
import { decodeFieldBitmaps, type SchemaFields } from './field-bitmap.js'

/** Longs as BigInt: commitNumber (an SCN) passes 2^53. avsc's documented way to swap a type's representation. */
const bigIntLong = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint) => {
    const buffer = Buffer.alloc(8)
    buffer.writeBigInt64LE(value)
    return buffer
  },
  fromJSON: (value: number | string) => BigInt(value),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === 'bigint',
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
})

export interface ChangeEventHeader {
  entityName: string
  recordIds: string[]
  changeType: string
  changeOrigin: string
  transactionKey: string
  sequenceNumber: number
  commitTimestamp: Date
  commitNumber: string
  commitUser: string
  /** Field names, decoded from the bitmaps. */
  changedFields: string[]
  nulledFields: string[]
  diffFields: string[]
}

export interface DecodedEvent {
  header: ChangeEventHeader
  /** The record fields the event carries a value for (unchanged fields arrive as null and are left out). */
  values: Record<string, unknown>
}

export interface EventSchema {
  id: string
  decode(payload: Buffer): DecodedEvent
}

interface AvroField {
  name: string
  type: unknown
}

export function parseEventSchema(id: string, schemaJson: string): EventSchema {
  let type: avro.Type
  let fields: AvroField[]
  try {
    const schema = JSON.parse(schemaJson) as { fields?: AvroField[] }
    fields = schema.fields ?? []
    type = avro.Type.forSchema(schema as avro.Schema, { registry: { long: bigIntLong } })
  } catch (err) {
    throw badEvent(`schema ${id} could not be read (${(err as Error).message})`)
  }
  const layout: SchemaFields = {
    names: fields.map((f) => f.name),
    children: new Map(
      fields.flatMap((f, i) => {
        const record = recordOf(f.type)
        return record && f.name !== 'ChangeEventHeader' ? [[i, record.map((c) => c.name)] as const] : []
      }),
    ),
  }
  return {
    id,
    decode(payload) {
      let value: Record<string, unknown>
      try {
        value = type.fromBuffer(payload) as Record<string, unknown>
      } catch (err) {
        throw badEvent(`an event could not be decoded with schema ${id} (${(err as Error).message})`)
      }
      const raw = value['ChangeEventHeader'] as Record<string, unknown> | undefined
      if (!raw) throw badEvent(`an event of schema ${id} has no ChangeEventHeader`)
      const list = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as string[]) : [])
      const header: ChangeEventHeader = {
        entityName: text(raw['entityName']),
        recordIds: list('recordIds'),
        changeType: text(raw['changeType']),
        changeOrigin: text(raw['changeOrigin']),
        transactionKey: text(raw['transactionKey']),
        sequenceNumber: Number(raw['sequenceNumber'] ?? 0),
        commitTimestamp: new Date(Number(raw['commitTimestamp'] ?? 0)),
        commitNumber: text(raw['commitNumber']),
        commitUser: text(raw['commitUser']),
        changedFields: decodeFieldBitmaps(list('changedFields'), layout),
        nulledFields: decodeFieldBitmaps(list('nulledFields'), layout),
        diffFields: decodeFieldBitmaps(list('diffFields'), layout),
      }
      const values: Record<string, unknown> = {}
      for (const [key, field] of Object.entries(value))
        if (key !== 'ChangeEventHeader' && field !== null) values[key] = field
      return { header, values }
    },
  }
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'bigint' || typeof value === 'number'
    ? String(value)
    : ''
}

function recordOf(type: unknown): AvroField[] | undefined {
  const candidates = Array.isArray(type) ? type : [type]
  for (const candidate of candidates) {
    if (candidate && typeof candidate === 'object' && (candidate as { type?: unknown }).type === 'record')
      return (candidate as { fields: AvroField[] }).fields
  }
  return undefined
}

function badEvent(message: string): SalesforceError {
  return new SalesforceError(
    'bad_response',
    `Change Data Capture: ${message}.`,
    'The connector re-reads the affected records with the next sync; if it keeps happening, report it with the Sync Log.',
  )
}
