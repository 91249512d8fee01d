// The bitmap encoding of ChangeEventHeader.changedFields / nulledFields / diffFields over Pub/Sub: the first entry
// is "0x" + hex whose bit i (least significant first) stands for field i of the event's Avro schema; entries
// "N-0x…" do the same for the children of the compound field at position N
// (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-deserialization-considerations.html;
// Salesforce's decoder reverses the bit string, so bit 0 is the lowest bit:
// https://github.com/forcedotcom/pub-sub-api/blob/main/python/util/ChangeEventHeaderUtility.py).
// The emulated objects have no compound fields, so the emulator writes only the top-level entry.

/** Top-level bitmap of the given field positions; [] when there are none. */
export function encodeFieldBitmap(positions: readonly number[]): string[] {
  if (positions.length === 0) return []
  let bits = 0n
  for (const position of positions) bits |= 1n << BigInt(position)
  let hex = bits.toString(16).toUpperCase()
  if (hex.length % 2 === 1) hex = `0${hex}`
  return [`0x${hex}`]
}

/** Field positions set in a top-level bitmap entry such as "0x650004E0". */
export function decodeFieldBitmap(entry: string): number[] {
  if (!/^0x[0-9a-fA-F]+$/.test(entry)) throw new Error(`not a top-level field bitmap: ${entry}`)
  const bits = BigInt(entry)
  const positions: number[] = []
  for (let i = 0; bits >> BigInt(i) > 0n; i++) if ((bits >> BigInt(i)) & 1n) positions.push(i)
  return positions
}
