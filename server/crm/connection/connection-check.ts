// Test Connection: the real OAuth exchange and real API calls, reported as a checklist an admin can act on.
// Nothing is saved. The whole run has a 15-second budget; whatever has not finished by then is reported as
// skipped ("Salesforce took too long") instead of leaving the page waiting.
import type { ConnectionCheck, ConnectionTestReport } from '../../../contracts/api/crm-connection.api.js'
import type { CrmProvider, CrmSession, TokenSet } from '../../providers/crm-provider.js'
import { KEY_FIELDS, STANDARD_OPPORTUNITY_FIELDS } from '../../providers/salesforce/opportunity-fields.js'
import { toSalesforceError } from '../../providers/salesforce/salesforce-api.js'
import { SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import { grantFor, type ResolvedSettings } from './resolved-settings.js'

export const TEST_BUDGET_MS = 15_000

type CheckId = ConnectionCheck['id']

const LABELS: Record<CheckId, string> = {
  url: 'Web Services URL',
  oauth: 'Sign in to Salesforce (OAuth)',
  identity: 'Integration user',
  api: 'API access',
  opportunity_access: 'Read access to Opportunity',
  field_access: 'Opportunity fields visible to the integration user',
  record_count: 'Opportunities visible',
  api_limits: 'API requests left today',
}

export interface CheckDeps {
  provider: CrmProvider
  now?: () => number
}

export interface CheckOutcome {
  report: ConnectionTestReport
  /** The tokens of the test's sign-in, so Save Settings can keep them without signing in twice. */
  tokens: TokenSet | undefined
}

export async function runConnectionCheck(deps: CheckDeps, settings: ResolvedSettings): Promise<CheckOutcome> {
  const now = deps.now ?? (() => Date.now())
  const started = now()
  const budget = new AbortController()
  const timer = setTimeout(() => budget.abort(), TEST_BUDGET_MS)
  const checks = new Map<CheckId, ConnectionCheck>()
  const record = (
    id: CheckId,
    status: ConnectionCheck['status'],
    message: string,
    hint: string | null = null,
  ) => checks.set(id, { id, label: LABELS[id], status, message, hint })
  let tokens: TokenSet | undefined
  const fail = (id: CheckId, err: unknown) => {
    const sfError = toSalesforceError(err)
    record(id, 'failed', sfError.message, sfError.hint)
  }

  try {
    const { provider } = deps
    const url = await step(() => provider.checkUrl(settings.webServicesUrl), budget.signal).catch(
      (err: unknown) => {
        fail('url', err)
        return undefined
      },
    )
    if (!url) return finish()
    record('url', 'passed', `${url.origin} is allowed.`)

    try {
      const signal = budget.signal
      tokens = await step(() => provider.signIn(settings, grantFor(settings), { signal }), signal)
      record('oauth', 'passed', `Signed in with the ${describeMethod(settings.authMethod)}.`)
    } catch (err) {
      fail('oauth', err)
      return finish()
    }

    const api = provider.openSession(tokens, {
      reauthenticate: () =>
        Promise.reject(
          new SalesforceError('session_expired', 'The test session expired.', 'Run Test Connection again.'),
        ),
    })
    await checkIdentity(api, record, budget.signal).catch((err: unknown) => fail('identity', err))
    const limitsOk = await checkLimits(api, record, budget.signal).then(
      () => true,
      (err: unknown) => {
        fail('api', err)
        return false
      },
    )
    if (!limitsOk) return finish()
    const canRead = await checkDescribe(api, record, budget.signal).catch((err: unknown) => {
      fail('opportunity_access', err)
      return false
    })
    if (!canRead) return finish()
    await checkCount(api, record, budget.signal).catch((err: unknown) => fail('record_count', err))
    return finish()
  } finally {
    clearTimeout(timer)
  }

  function finish(): CheckOutcome {
    const timedOut = budget.signal.aborted
    for (const id of Object.keys(LABELS) as CheckId[]) {
      if (checks.has(id)) continue
      record(
        id,
        'skipped',
        timedOut
          ? 'Not run: Salesforce took too long to answer.'
          : 'Not run because an earlier check failed.',
        timedOut
          ? "Try again; if it keeps happening, check https://status.salesforce.com and this server's outbound network."
          : null,
      )
    }
    const ordered = (Object.keys(LABELS) as CheckId[]).map((id) => checks.get(id) as ConnectionCheck)
    const ok = ordered.every((check) => check.status === 'passed' || check.status === 'warning')
    return { report: { ok, checks: ordered, durationMs: Math.round(now() - started) }, tokens }
  }
}

/** Runs one step, giving up as soon as the overall budget is spent. */
function step<T>(work: () => Promise<T>, budget: AbortSignal): Promise<T> {
  if (budget.aborted) return Promise.reject(timeoutError())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError())
    budget.addEventListener('abort', onAbort, { once: true })
    work()
      .then(resolve, reject)
      .finally(() => budget.removeEventListener('abort', onAbort))
  })
}

function timeoutError(): SalesforceError {
  return new SalesforceError(
    'timeout',
    `Salesforce did not answer within the ${TEST_BUDGET_MS / 1000}-second test budget.`,
    "Try again; check https://status.salesforce.com and this server's outbound network.",
  )
}

type Record_ = (id: CheckId, status: ConnectionCheck['status'], message: string, hint?: string | null) => void

async function checkIdentity(api: CrmSession, record: Record_, budget: AbortSignal): Promise<void> {
  const info = await step(() => api.userInfo(), budget)
  if (info.active === false) {
    record(
      'identity',
      'failed',
      `${info.username ?? 'The user'} is inactive.`,
      'Reactivate the integration user in Setup > Users.',
    )
    return
  }
  record(
    'identity',
    'passed',
    `Acting as ${info.name ?? 'unknown'} (${info.username ?? 'unknown username'}).`,
  )
}

async function checkLimits(api: CrmSession, record: Record_, budget: AbortSignal): Promise<void> {
  const daily = await step(() => api.limits(), budget)
  record('api', 'passed', 'The REST API answers for this user.')
  if (!daily) {
    record('api_limits', 'warning', 'Salesforce did not report the daily API allowance.', null)
    return
  }
  const share = daily.max > 0 ? daily.remaining / daily.max : 0
  const message = `${daily.remaining.toLocaleString('en-US')} of ${daily.max.toLocaleString('en-US')} requests left in the last 24 hours (${Math.round(share * 100)}%).`
  if (share < 0.1)
    record(
      'api_limits',
      'warning',
      message,
      'Few API requests are left; syncing may pause until the allowance recovers. Lower the sync frequency or the budget share.',
    )
  else record('api_limits', 'passed', message)
}

async function checkDescribe(api: CrmSession, record: Record_, budget: AbortSignal): Promise<boolean> {
  let visible: ReadonlySet<string>
  try {
    const describe = await step(() => api.describeOpportunity(), budget)
    if (!describe.queryable)
      throw new SalesforceError(
        'no_access',
        'Opportunity is not queryable for this user.',
        'Give the integration user Read on Opportunity.',
      )
    visible = describe.fields
  } catch (err) {
    const sfError = toSalesforceError(err)
    const denied = ['no_access', 'not_found'].includes(sfError.kind)
    record(
      'opportunity_access',
      'failed',
      denied ? 'The integration user cannot read Opportunities.' : sfError.message,
      denied
        ? 'Give the integration user Read access to Opportunity (and Account, User) through its profile or a permission set in Salesforce Setup.'
        : sfError.hint,
    )
    return false
  }
  record('opportunity_access', 'passed', 'The integration user can read Opportunities.')
  const missingRequired = KEY_FIELDS.filter((name) => !visible.has(name))
  const missingStandard = STANDARD_OPPORTUNITY_FIELDS.filter((name) => !visible.has(name))
  const fls =
    "In Salesforce Setup > Object Manager > Opportunity > Fields & Relationships, open each field > Set Field-Level Security, and make it visible to the integration user's profile."
  if (missingRequired.length > 0) {
    record(
      'field_access',
      'failed',
      `Field-level security hides fields the sync needs: ${missingRequired.join(', ')}.`,
      fls,
    )
    return false
  }
  if (missingStandard.length > 0) {
    record(
      'field_access',
      'warning',
      `Field-level security hides: ${missingStandard.join(', ')}. They will stay empty and the Sync Log will say so.`,
      fls,
    )
  } else {
    record(
      'field_access',
      'passed',
      `All ${KEY_FIELDS.length + STANDARD_OPPORTUNITY_FIELDS.length} fields the module shows are visible.`,
    )
  }
  return true
}

async function checkCount(api: CrmSession, record: Record_, budget: AbortSignal): Promise<void> {
  const count = await step(() => api.countOpportunities(), budget)
  record(
    'record_count',
    'passed',
    `${count.toLocaleString('en-US')} opportunities are visible to the integration user.`,
  )
}

function describeMethod(method: ResolvedSettings['authMethod']): string {
  switch (method) {
    case 'password':
      return 'username-password flow'
    case 'client_credentials':
      return 'client credentials flow'
    case 'authorization_code':
      return 'stored refresh token ("Connect with Salesforce")'
  }
}
