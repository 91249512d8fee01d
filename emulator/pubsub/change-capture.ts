// Turns the org store's record changes (RecordStore.onChange) into change events on the bus, as Change Data
// Capture does for the entities selected for it (Opportunity by default here). Header fields:
// https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm.
// An update carries values only for the fields it changed; the others are null, and nulledFields says which
// changed fields became null (https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/cdc_event_diff_pubsub_cometd.htm).
// Gap and overflow events are header only; an overflow names no record ids
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm,
// https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_overflow.htm).
import { randomUUID } from 'node:crypto'

import type { RecordChange, RecordStore } from '../org/record-store.js'
import type { SfRecord } from '../org/model.js'
import {
  buildChangeEventSchema,
  toAvroValue,
  type ChangeEventSchema,
  type ChangeType,
} from './avro-schema.js'
import { encodeFieldBitmap } from './bitmap.js'
import { currentChangeContext } from './change-context.js'
import type { EventBus } from './event-bus.js'

export interface HeaderInput {
  changeType: ChangeType
  recordIds: string[]
  commitUser: string
  changedFields?: string[]
  nulledFields?: string[]
}

export class ChangeCapture {
  /** Entities selected for Change Data Capture (Setup > Change Data Capture). */
  readonly enabled = new Set(['Opportunity'])
  private readonly schemas = new Map<string, ChangeEventSchema>()
  /** System change numbers grow past 2^53 in real orgs; so do these. */
  private commitNumber = 1_725_357_365_187_780_609n

  constructor(
    private readonly records: RecordStore,
    readonly bus: EventBus,
    private readonly now: () => number,
    private readonly fallbackUser: () => string,
  ) {}

  attach(): void {
    this.records.onChange = (change) => this.capture(change)
  }

  schemaFor(objectName: string): ChangeEventSchema | undefined {
    let schema = this.schemas.get(objectName)
    if (!schema) {
      const definition = this.records.describeObject(objectName)
      if (!definition) return undefined
      schema = buildChangeEventSchema(definition)
      this.schemas.set(objectName, schema)
    }
    return schema
  }

  /** Every schema built so far and those of the enabled entities, for GetSchema. */
  schemaById(schemaId: string): ChangeEventSchema | undefined {
    for (const name of this.enabled) this.schemaFor(name)
    return [...this.schemas.values()].find((s) => s.schemaId === schemaId)
  }

  capture(change: RecordChange): void {
    if (!this.enabled.has(change.objectName)) return
    const schema = this.schemaFor(change.objectName)
    if (!schema) return
    const context = currentChangeContext()
    const commitUser = context?.userId ?? String(change.record['LastModifiedById'] ?? this.fallbackUser())
    const recordIds = [String(change.record['Id'])]
    if (change.type === 'UPDATE') {
      const changed = schema.fields.filter((f) => change.changedFields.includes(f.name))
      if (changed.length === 0) return
      const names = changed.map((f) => f.name)
      this.publish(
        schema,
        { changeType: 'UPDATE', recordIds, commitUser, changedFields: names },
        change.record,
      )
      return
    }
    const values = change.type === 'DELETE' ? undefined : change.record
    this.publish(schema, { changeType: change.type, recordIds, commitUser }, values)
  }

  /** A gap or overflow event: the header alone (no field values). */
  publishHeaderOnly(schema: ChangeEventSchema, changeType: ChangeType, recordIds: string[]): void {
    this.publish(schema, { changeType, recordIds, commitUser: this.fallbackUser() })
  }

  /** Publishes one event; `values` fills the fields listed in changedFields (or all fields, for CREATE/UNDELETE). */
  publish(schema: ChangeEventSchema, header: HeaderInput, values?: SfRecord): void {
    const context = currentChangeContext()
    if (context) context.sequence += 1
    const position = (name: string) => schema.fields.findIndex((f) => f.name === name) + 1
    const changed = header.changedFields ?? []
    const nulled = changed.filter((name) => values?.[name] === null || values?.[name] === undefined)
    const body: Record<string, unknown> = {}
    for (const field of schema.fields) {
      const carried =
        values !== undefined && (header.changedFields === undefined || changed.includes(field.name))
      body[field.name] = carried ? toAvroValue(field, values[field.name]) : null
    }
    this.commitNumber += 1n
    const payload = schema.type.toBuffer({
      ChangeEventHeader: {
        entityName: schema.entityName,
        recordIds: header.recordIds,
        changeType: header.changeType,
        changeOrigin: context?.changeOrigin ?? '',
        transactionKey: context?.transactionKey ?? randomUUID(),
        sequenceNumber: context?.sequence ?? 1,
        commitTimestamp: this.now(),
        commitNumber: this.commitNumber,
        commitUser: header.commitUser,
        nulledFields: encodeFieldBitmap(nulled.map(position)),
        diffFields: [],
        changedFields: encodeFieldBitmap(changed.map(position)),
      },
      ...body,
    })
    this.bus.publish(schema.entityName, schema.schemaId, payload)
  }
}
