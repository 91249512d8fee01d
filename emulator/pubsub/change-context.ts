// Which transaction a record change belongs to. Every API request is one transaction: its changes share a
// transactionKey and number themselves with sequenceNumber, and carry the changeOrigin of the calling app
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm:
// "com/salesforce/api/<api>/<version>;client=<clientId>", the client id from the Sforce-Call-Options header,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_calloptions.htm).
// Changes outside a request (the emulated clock's automation) are a transaction each.
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'

export interface ChangeContext {
  transactionKey: string
  sequence: number
  changeOrigin: string
  userId: string | null
}

const storage = new AsyncLocalStorage<ChangeContext>()

export function runInChangeContext<T>(
  origin: { changeOrigin: string; userId: string | null },
  fn: () => T,
): T {
  return storage.run({ transactionKey: randomUUID(), sequence: 0, ...origin }, fn)
}

export function currentChangeContext(): ChangeContext | undefined {
  return storage.getStore()
}

/** changeOrigin of a request: REST calls name the API, its version and the client id they sent, if any. */
export function changeOriginOf(url: string, callOptions: string | undefined): string {
  const version = /^\/services\/data\/v(\d+\.\d+)\//.exec(url)?.[1]
  if (!version) return ''
  const client = /(?:^|,)\s*client=([^,\s]+)/.exec(callOptions ?? '')?.[1]
  return `com/salesforce/api/rest/${version}${client ? `;client=${client}` : ''}`
}
