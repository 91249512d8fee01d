// Change event channels (case-sensitive): /data/ChangeEvents carries every selected entity, /data/<Object>ChangeEvent
// (custom: /data/<Name>__ChangeEvent) one of them
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_subscribe_channels.htm).
import { changeEventName, type ChangeEventSchema } from './avro-schema.js'
import type { ChangeCapture } from './change-capture.js'

export interface Topic {
  name: string
  /** Entities whose events the topic carries. */
  accepts: (entityName: string) => boolean
  /** The schema of a single-entity topic; undefined for /data/ChangeEvents. */
  schema: ChangeEventSchema | undefined
}

export const ALL_CHANGE_EVENTS = '/data/ChangeEvents'

export function findTopic(capture: ChangeCapture, name: string): Topic | undefined {
  if (name === ALL_CHANGE_EVENTS) {
    if (capture.enabled.size === 0) return undefined
    return { name, accepts: (entity) => capture.enabled.has(entity), schema: undefined }
  }
  for (const entity of capture.enabled) {
    if (`/data/${changeEventName(entity)}` !== name) continue
    const schema = capture.schemaFor(entity)
    if (!schema) return undefined
    return { name, accepts: (e) => e === entity && capture.enabled.has(entity), schema }
  }
  return undefined
}
