// A typed client of the control API (/__emulator/…, routes/control.ts and control-org.ts) for tests and scripts.
// It is also callable as control(method, path, body) for anything the typed methods do not cover.
import type { FaultKind, LoggedRequest } from './org/org.js'
import type { RuleOperator } from './org/validation-rules.js'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
type Value = string | number | boolean | null
type Flow = 'password' | 'client_credentials' | 'authorization_code' | 'refresh_token'

export interface FaultInput {
  /** Substring of `METHOD /path`, or `re:<regexp>`. */
  match: string
  /** Only requests whose SOQL (`q` parameter) contains this, e.g. `FROM OpportunityStage`. */
  soql?: string
  /**
   * Salesforce's answers: `invalid_session` (401), `request_limit` (403), `unable_to_lock_row` (400),
   * `server_error` (500), `unavailable` (503).
   * The network: `slow` (waits `delayMs` first), `drop` (closes the connection before any response byte),
   * `cut_body` (declares the whole Content-Length, sends half the body, closes), `reset_body` (the same, then a
   * TCP reset), `stall_body` (the same, then
   * nothing while the connection stays open), `cut_chunked` (chunked, half the body, closes without the last
   * chunk). `malformed_body`: a complete response whose body is half the JSON with a matching Content-Length
   * (`truncate` is its former name). Details: emulator/http/faults.ts.
   */
  kind: FaultKind | 'truncate'
  /** Affect the next N matching calls; omitted = until cleared. */
  times?: number
  /** Chance (0–1) that a matching call is affected; default 1. */
  probability?: number
  /** Affect only every Nth matching call (the Nth, the 2Nth, ...); default 1. */
  every?: number
  /** For `slow`. */
  delayMs?: number
}

export interface ValidationRuleInput {
  object: string
  field: string
  operator: RuleOperator
  value?: Value
  message: string
  /** Error location field (default `field`); null for the top of the page. */
  errorField?: string | null
}

export interface WriteRulesInput {
  /** `Object.Field` names (field-level security read only / read-write again for the API user). */
  readOnlyFields?: string[]
  writableFields?: string[]
  restrictPicklists?: string[]
  unrestrictPicklists?: string[]
}

export interface SettingsInput {
  dailyApiRequests?: number
  apiRequestsUsed?: number
  sessionTtlMs?: number
  blockUsernamePasswordFlow?: boolean
  soapLoginEnabled?: boolean
  teamSelling?: boolean
  /** `Object.Field` names to hide from / show to the API user (field-level security). */
  hideFields?: string[]
  showFields?: string[]
  /** Shorthands that change every connected app / the integration user. */
  appActiveAfterMs?: number
  appAutoApprove?: boolean
  appRotateRefreshTokens?: boolean
  appFlows?: Flow[]
  userApiEnabled?: boolean
  userActive?: boolean
}

export interface UserInput {
  password?: string
  securityToken?: string
  active?: boolean
  apiEnabled?: boolean
  canReadOpportunities?: boolean
  canEditOpportunities?: boolean
}

export interface UserView extends Required<UserInput> {
  id: string
  username: string
}

export interface AppInput {
  consumerSecret?: string
  flows?: Flow[]
  runAsUsername?: string | null
  activeAfterMs?: number
  autoApprove?: boolean
  rotateRefreshTokens?: boolean
}

export interface AppView {
  consumerKey: string
  consumerSecret: string
  flows: Flow[]
  runAsUserId: string | null
  activeAfter: string
  autoApprove: boolean
  rotateRefreshTokens: boolean
}

export interface ControlClient {
  (method: Method, path: string, body?: unknown): Promise<unknown>
  state(): Promise<Record<string, unknown>>
  addFault(fault: FaultInput): Promise<FaultInput & { id: number; kind: FaultKind }>
  /** Removes every fault and closes the connections `stall_body` holds open. */
  clearFaults(): Promise<void>
  /** How many connections `stall_body` faults are holding open right now. */
  stalledConnections(): Promise<number>
  settings(settings: SettingsInput): Promise<void>
  advanceClock(ms: number): Promise<{ now: string }>
  setClock(isoDatetime: string): Promise<{ now: string }>
  expireTokens(): Promise<{ expired: number }>
  revokeTokens(options: {
    token?: string
    allRefreshTokens?: boolean
    /** Every refresh token of this user (Setup > Users > the user > OAuth Connected Apps > Revoke). */
    username?: string
  }): Promise<{ revoked: number | boolean }>
  insertRecord(object: string, values: Record<string, Value>): Promise<{ id: string }>
  getRecord(object: string, id: string): Promise<Record<string, Value>>
  /** A user's change (LastModifiedDate moves), or with `automated` a system change (only SystemModstamp moves). */
  updateRecord(
    object: string,
    id: string,
    values: Record<string, Value>,
    options?: { automated?: boolean },
  ): Promise<{ id: string; SystemModstamp: string }>
  recordAction(
    object: string,
    id: string,
    action: 'delete' | 'undelete' | 'purge' | 'touch',
  ): Promise<boolean>
  /** Changes `percent` % of the live opportunities (Amount), chosen by a seeded random draw. */
  mutateOpportunities(options: { percent: number; seed?: number; automated?: boolean }): Promise<{
    changed: number
    ids: string[]
  }>
  addUser(
    user: UserInput & { username: string; firstName?: string; lastName?: string; email?: string },
  ): Promise<UserView>
  updateUser(idOrUsername: string, changes: UserInput): Promise<UserView>
  addApp(app: AppInput & { consumerKey?: string }): Promise<AppView>
  updateApp(consumerKey: string, changes: AppInput): Promise<AppView>
  requests(): Promise<LoggedRequest[]>
  clearRequests(): Promise<void>
  addValidationRule(rule: ValidationRuleInput): Promise<ValidationRuleInput & { id: number }>
  clearValidationRules(): Promise<void>
  writeRules(rules: WriteRulesInput): Promise<{ readOnlyFields: string[]; restrictedPicklists: string[] }>
}

export function createControlClient(baseUrl: string): ControlClient {
  const call = async (method: Method, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/__emulator${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
    const json: unknown = await response.json()
    if (!response.ok)
      throw new Error(`control ${method} ${path} failed: ${response.status} ${JSON.stringify(json)}`)
    return json
  }
  const typed = <T>(method: Method, path: string, body?: unknown) => call(method, path, body) as Promise<T>
  const record = (object: string, id: string) =>
    `/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}`
  return Object.assign(call, {
    state: () => typed<Record<string, unknown>>('GET', '/state'),
    addFault: (fault: FaultInput) =>
      typed<FaultInput & { id: number; kind: FaultKind }>('POST', '/faults', fault),
    clearFaults: async () => void (await call('DELETE', '/faults')),
    stalledConnections: async () =>
      (await typed<{ stalledConnections: number }>('GET', '/state')).stalledConnections,
    settings: async (settings: SettingsInput) => void (await call('PATCH', '/settings', settings)),
    advanceClock: (ms: number) => typed<{ now: string }>('POST', '/clock', { advanceMs: ms }),
    setClock: (iso: string) => typed<{ now: string }>('POST', '/clock', { setTo: iso }),
    expireTokens: () => typed<{ expired: number }>('POST', '/tokens/expire'),
    revokeTokens: (options: { token?: string; allRefreshTokens?: boolean; username?: string }) =>
      typed<{ revoked: number | boolean }>('POST', '/tokens/revoke', options),
    insertRecord: (object: string, values: Record<string, Value>) =>
      typed<{ id: string }>('POST', `/records/${encodeURIComponent(object)}`, values),
    getRecord: (object: string, id: string) => typed<Record<string, Value>>('GET', record(object, id)),
    updateRecord: (
      object: string,
      id: string,
      values: Record<string, Value>,
      options: { automated?: boolean } = {},
    ) => typed<{ id: string; SystemModstamp: string }>('PATCH', record(object, id), { values, ...options }),
    recordAction: async (object: string, id: string, action: 'delete' | 'undelete' | 'purge' | 'touch') => {
      const response = await fetch(`${baseUrl}/__emulator${record(object, id)}/${action}`, { method: 'POST' })
      return ((await response.json()) as { done?: boolean }).done === true
    },
    mutateOpportunities: (options: { percent: number; seed?: number; automated?: boolean }) =>
      typed<{ changed: number; ids: string[] }>('POST', '/opportunities/mutate', options),
    addUser: (user: UserInput & { username: string }) => typed<UserView>('POST', '/users', user),
    updateUser: (idOrUsername: string, changes: UserInput) =>
      typed<UserView>('PATCH', `/users/${encodeURIComponent(idOrUsername)}`, changes),
    addApp: (app: AppInput & { consumerKey?: string }) => typed<AppView>('POST', '/apps', app),
    updateApp: (consumerKey: string, changes: AppInput) =>
      typed<AppView>('PATCH', `/apps/${encodeURIComponent(consumerKey)}`, changes),
    requests: async () => (await typed<{ requests: LoggedRequest[] }>('GET', '/requests')).requests,
    clearRequests: async () => void (await call('DELETE', '/requests')),
    addValidationRule: (rule: ValidationRuleInput) =>
      typed<ValidationRuleInput & { id: number }>('POST', '/validation-rules', rule),
    clearValidationRules: async () => void (await call('DELETE', '/validation-rules')),
    writeRules: (rules: WriteRulesInput) =>
      typed<{ readOnlyFields: string[]; restrictedPicklists: string[] }>('PATCH', '/write-rules', rules),
  })
}
