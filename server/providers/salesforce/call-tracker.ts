// Every call a session makes to Salesforce goes through here: it counts the call against the session's API
// budget, remembers the org's usage from the Sforce-Limit-Info header, and, when the session has a call policy
// (the sync), retries transient failures (5xx, timeouts, resets, truncated bodies) with exponential backoff and
// full jitter (AWS Architecture Blog, https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
// jsforce's own retries are switched off (maxRetries 0 in salesforce-api.ts) so every attempt is visible here.
import type { Connection } from '@jsforce/jsforce-node'

import { ApiBudgetExhausted, type CallPolicy } from '../crm-provider.js'
import { toSalesforceError } from './salesforce-api.js'
import { SalesforceError, type SalesforceErrorKind } from './salesforce-errors.js'

const TRANSIENT: readonly SalesforceErrorKind[] = ['server_error', 'timeout', 'unreachable', 'bad_response']

export class CallTracker {
  calls = 0
  /** From the last Sforce-Limit-Info header: API requests used and allowed in the org's last 24 hours. */
  usage: { used: number; limit: number } | undefined
  /** Calls this session may still make; undefined while no budget is set. */
  private remainingCalls: number | undefined

  constructor(
    readonly api: Connection,
    private readonly policy: CallPolicy | undefined,
  ) {}

  setBudget(remainingCalls: number): void {
    this.remainingCalls = remainingCalls
  }

  /**
   * Runs one Salesforce call with budget check, counting, and retries for transient failures. `retry` replaces
   * the session's policy for this call and names the kinds it retries (a write retries a locked row, never a
   * server error: the write may have happened).
   */
  async call<T>(
    label: string,
    work: (api: Connection) => Promise<T>,
    validate?: (value: T) => boolean,
    retry?: { policy: CallPolicy; kinds: readonly SalesforceErrorKind[] },
  ): Promise<T> {
    const policy = retry?.policy ?? this.policy
    const retried = retry?.kinds ?? TRANSIENT
    const attempts = policy?.attempts ?? 1
    for (let attempt = 1; ; attempt += 1) {
      if (this.remainingCalls !== undefined && this.remainingCalls <= 0) {
        throw new ApiBudgetExhausted(`The run's API budget is used up (before: ${label}).`)
      }
      this.calls += 1
      if (this.remainingCalls !== undefined) this.remainingCalls -= 1
      try {
        const value = await work(this.api)
        this.readLimitInfo()
        // jsforce hands back the raw text when a JSON body does not parse (a truncated page): never trust it.
        if (validate && !validate(value)) {
          throw new SalesforceError(
            'bad_response',
            `Salesforce sent an incomplete or malformed answer to ${label}.`,
            'Usually a network interruption; the sync retries.',
          )
        }
        policy?.onAnswer?.()
        return value
      } catch (err) {
        this.readLimitInfo()
        const error = toSalesforceError(err)
        if (!policy || !retried.includes(error.kind) || attempt >= attempts) throw error
        const { baseDelayMs, maxDelayMs } = policy
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
        const delay = Math.round(policy.random() * ceiling)
        await policy.onRetry(error, attempt, delay)
        await policy.sleep(delay)
      }
    }
  }

  private readLimitInfo(): void {
    const usage = this.api.limitInfo?.apiUsage
    if (usage) this.usage = { used: usage.used, limit: usage.limit }
  }
}
