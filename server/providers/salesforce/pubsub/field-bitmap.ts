// ChangeEventHeader.changedFields, nulledFields and diffFields arrive over the Pub/Sub API as bitmaps, not names
// (https://developer.salesforce.com/docs/platform/change-data-capture/guide/cdc-event-fields-bitmap.html and
// https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-deserialization-considerations.html):
// the first entry ("0x650004E0") covers the top-level fields, where "a bit set to 1 indicates that the field at
// the corresponding position in the Avro schema was changed", counting from the least significant bit (bit 0 is
// the schema's first field, the ChangeEventHeader); an entry "N-0x…" covers the children of the compound field
// (Name, Address) at top-level position N the same way. Salesforce's own decoder reads the bits that way:
// https://github.com/forcedotcom/pub-sub-api/blob/main/python/util/ChangeEventHeaderUtility.py
import { SalesforceError } from '../salesforce-errors.js'

/** What the decoder needs of the event's Avro schema: its top-level field names and compound children. */
export interface SchemaFields {
  names: readonly string[]
  /** Child field names of compound fields, by top-level position. */
  children: ReadonlyMap<number, readonly string[]>
}

/** The field names one bitmap list stands for ("Name.FirstName" for a compound field's child). */
export function decodeFieldBitmaps(entries: readonly string[], schema: SchemaFields): string[] {
  const names: string[] = []
  for (const entry of entries) {
    const compound = /^(\d+)-(0x[0-9a-fA-F]+)$/.exec(entry)
    if (compound) {
      const position = Number(compound[1])
      const parent = schema.names[position]
      const children = schema.children.get(position)
      if (parent === undefined || !children) throw malformed(entry)
      for (const bit of setBits(compound[2] as string))
        names.push(`${parent}.${fieldAt(children, bit, entry)}`)
    } else if (/^0x[0-9a-fA-F]+$/.test(entry)) {
      for (const bit of setBits(entry)) names.push(fieldAt(schema.names, bit, entry))
    } else {
      // Before API 45.0 (and in CometD), the header lists plain field names.
      if (!/^[A-Za-z][\w.]*$/.test(entry)) throw malformed(entry)
      names.push(entry)
    }
  }
  return names
}

/** Positions of the set bits of "0x…", lowest first. */
export function setBits(hex: string): number[] {
  const bits = BigInt(hex)
  const positions: number[] = []
  for (let i = 0; bits >> BigInt(i) > 0n; i++) if ((bits >> BigInt(i)) & 1n) positions.push(i)
  return positions
}

function fieldAt(names: readonly string[], bit: number, entry: string): string {
  const name = names[bit]
  if (name === undefined) throw malformed(entry)
  return name
}

function malformed(entry: string): SalesforceError {
  return new SalesforceError(
    'bad_response',
    `A change event's field bitmap "${entry}" does not fit the event's schema.`,
    'The connector re-reads the records of such an event; if it keeps happening, report it with the Sync Log.',
  )
}
