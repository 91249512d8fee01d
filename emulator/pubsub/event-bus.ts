// The org's event bus: change events in commit order, each with an opaque replay id, kept 72 hours on the org's
// clock (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-message-durability.html: replay
// ids are opaque and "not guaranteed to be contiguous", so they step by a random amount here). Replay ids go on
// the wire as 8 bytes, big-endian, as the community Node client reads them
// (https://github.com/pozil/pub-sub-api-node-client, src/utils/eventParser.js). It also counts deliveries over
// the last 24 hours for the delivery allocation.
import { randomInt, randomUUID } from 'node:crypto'

export const RETENTION_MS = 72 * 3_600_000
const DAY_MS = 24 * 3_600_000

export interface BusEvent {
  replayId: bigint
  /** Event UUID (ProducerEvent.id). */
  id: string
  entityName: string
  schemaId: string
  payload: Buffer
  /** Org time of the commit. */
  at: number
}

export function encodeReplayId(replayId: bigint): Buffer {
  const buffer = Buffer.alloc(8)
  buffer.writeBigUInt64BE(replayId)
  return buffer
}

/** undefined when the bytes are not a replay id this bus could have issued. */
export function decodeReplayId(bytes: Buffer): bigint | undefined {
  return bytes.length === 8 ? bytes.readBigUInt64BE() : undefined
}

export class EventBus {
  private events: BusEvent[] = []
  private latest = BigInt(randomInt(1_000_000, 9_000_000))
  /** Highest replay id no longer retained (expired or dropped by the control API). */
  private droppedThrough = this.latest - 1n
  private readonly listeners = new Set<() => void>()
  /** Deliveries per minute of org time, for the rolling 24-hour count. */
  private readonly deliveries = new Map<number, number>()

  constructor(private readonly now: () => number) {}

  get latestReplayId(): bigint {
    return this.latest
  }

  publish(entityName: string, schemaId: string, payload: Buffer): BusEvent {
    this.latest += BigInt(randomInt(1, 8))
    const event: BusEvent = {
      replayId: this.latest,
      id: randomUUID(),
      entityName,
      schemaId,
      payload,
      at: this.now(),
    }
    this.events.push(event)
    for (const listener of this.listeners) listener()
    return event
  }

  onPublish(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Drops what is past retention; with `all`, every retained event (stored replay ids go stale at once). */
  expire(all = false): void {
    const cutoff = this.now() - RETENTION_MS
    let keep = 0
    while (keep < this.events.length && (all || (this.events[keep] as BusEvent).at < cutoff)) keep += 1
    if (keep === 0) return
    this.droppedThrough = (this.events[keep - 1] as BusEvent).replayId
    if (all) this.droppedThrough = this.latest
    this.events = this.events.slice(keep)
  }

  /** The position to start after: LATEST, EARLIEST, or a replay id (undefined if it is past retention or unknown). */
  startAfter(preset: 'LATEST' | 'EARLIEST' | 'CUSTOM', replayId?: bigint): bigint | undefined {
    this.expire()
    if (preset === 'LATEST') return this.latest
    if (preset === 'EARLIEST') return this.droppedThrough
    if (replayId === undefined) return undefined
    if (replayId === this.latest && replayId > this.droppedThrough) return replayId
    return this.events[this.indexAfter(replayId - 1n)]?.replayId === replayId ? replayId : undefined
  }

  /** Up to `max` retained events after `cursor` whose entity passes `accept`, in order. */
  after(cursor: bigint, accept: (entityName: string) => boolean, max: number): BusEvent[] {
    this.expire()
    const found: BusEvent[] = []
    for (let i = this.indexAfter(cursor); i < this.events.length && found.length < max; i++) {
      const event = this.events[i] as BusEvent
      if (accept(event.entityName)) found.push(event)
    }
    return found
  }

  /** Whether a cursor has fallen behind retention while a stream held it. */
  isExpired(cursor: bigint): boolean {
    return cursor < this.droppedThrough
  }

  countDeliveries(count: number): void {
    const minute = Math.floor(this.now() / 60_000)
    this.deliveries.set(minute, (this.deliveries.get(minute) ?? 0) + count)
  }

  /** Events delivered over the last 24 hours (org time), all subscribers together. */
  deliveredLast24h(): number {
    const oldest = Math.floor((this.now() - DAY_MS) / 60_000)
    let total = 0
    for (const [minute, count] of this.deliveries) {
      if (minute <= oldest) this.deliveries.delete(minute)
      else total += count
    }
    return total
  }

  resetDeliveries(): void {
    this.deliveries.clear()
  }

  /** First index whose replay id is greater than `cursor` (binary search; ids only grow). */
  private indexAfter(cursor: bigint): number {
    let low = 0
    let high = this.events.length
    while (low < high) {
      const mid = (low + high) >> 1
      if ((this.events[mid] as BusEvent).replayId <= cursor) low = mid + 1
      else high = mid
    }
    return low
  }
}
