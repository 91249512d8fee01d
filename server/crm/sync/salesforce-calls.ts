// Every call the sync makes to Salesforce goes through here: it counts the call against the run's API budget,
// remembers the org's usage from the Sforce-Limit-Info header, and retries transient failures (5xx, timeouts,
// resets, truncated bodies) with exponential backoff and full jitter (AWS Architecture Blog "Exponential Backoff
// And Jitter"). jsforce's own retries are switched off (maxRetries 0) so every attempt is visible here.
import type { Connection } from '@jsforce/jsforce-node'

import { toSalesforceError } from '../../providers/salesforce/salesforce-api.js'
import { SalesforceError, type SalesforceErrorKind } from '../../providers/salesforce/salesforce-errors.js'

const TRANSIENT: readonly SalesforceErrorKind[] = ['server_error', 'timeout', 'unreachable', 'bad_response']

export interface RetryPolicy {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 20_000 }

export class ApiBudgetExhausted extends Error {
  override readonly name = 'ApiBudgetExhausted'
}

export interface CallTrackerOptions {
  api: Connection
  retry: RetryPolicy
  /** Calls this run may still make; undefined until the limits are known. */
  budget: { remainingCalls: number | undefined }
  onRetry(error: SalesforceError, attempt: number, delayMs: number): Promise<void> | void
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export class CallTracker {
  calls = 0
  /** From the last Sforce-Limit-Info header: API requests used and allowed in the org's last 24 hours. */
  usage: { used: number; limit: number } | undefined

  constructor(private readonly options: CallTrackerOptions) {}

  get api(): Connection {
    return this.options.api
  }

  /** Runs one Salesforce call with budget check, counting, and retries for transient failures. */
  async call<T>(
    label: string,
    work: (api: Connection) => Promise<T>,
    validate?: (value: T) => boolean,
  ): Promise<T> {
    const { retry, budget } = this.options
    const sleep =
      this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
    const random = this.options.random ?? Math.random
    for (let attempt = 1; ; attempt += 1) {
      if (budget.remainingCalls !== undefined && budget.remainingCalls <= 0) {
        throw new ApiBudgetExhausted(`The run's API budget is used up (before: ${label}).`)
      }
      this.calls += 1
      if (budget.remainingCalls !== undefined) budget.remainingCalls -= 1
      try {
        const value = await work(this.options.api)
        this.readLimitInfo()
        // jsforce hands back the raw text when a JSON body does not parse (a truncated page): never trust it.
        if (validate && !validate(value)) {
          throw new SalesforceError(
            'bad_response',
            `Salesforce sent an incomplete or malformed answer to ${label}.`,
            'Usually a network interruption; the sync retries.',
          )
        }
        return value
      } catch (err) {
        this.readLimitInfo()
        const error = toSalesforceError(err)
        if (!TRANSIENT.includes(error.kind) || attempt >= retry.attempts) throw error
        const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1))
        const delay = Math.round(random() * ceiling)
        await this.options.onRetry(error, attempt, delay)
        await sleep(delay)
      }
    }
  }

  private readLimitInfo(): void {
    const usage = this.options.api.limitInfo?.apiUsage
    if (usage) this.usage = { used: usage.used, limit: usage.limit }
  }
}
