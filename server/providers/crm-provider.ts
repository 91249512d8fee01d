// What the CRM features (server/crm/) need of a CRM, in our own types. The Salesforce client
// (providers/salesforce/salesforce-provider.ts) implements it; a second CRM would be a new folder beside it
// implementing the same two interfaces, with the CRM features unchanged. Nothing here names jsforce, a URL path
// or a wire format. Failures are thrown as SalesforceError (providers/salesforce/salesforce-errors.ts), whose
// `kind` says what the caller can do (retry, pause, ask a person) and whose `hint` an admin can follow.
import type { Grant, OAuthApp, TokenSet } from './salesforce/oauth-client.js'
import type { SalesforceError } from './salesforce/salesforce-errors.js'

export type { Grant, OAuthApp, TokenSet }

/** A record the CRM sent that cannot be trusted (no valid id or version, a number that is not one). */
export class MalformedRecordError extends Error {
  override readonly name = 'MalformedRecordError'
}

/** Thrown before a call the session's budget (setCallBudget) no longer allows. */
export class ApiBudgetExhausted extends Error {
  override readonly name = 'ApiBudgetExhausted'
}

/** Which CRMs the module speaks to (crm_connections.provider). */
export type CrmProviderKind = 'salesforce'

export interface CrmProvider {
  readonly kind: CrmProviderKind
  /** Returns the parsed URL if the module may call it (the outbound guard); throws url_not_allowed otherwise. */
  checkUrl(url: string): Promise<URL>
  /** Signs in (OAuth 2.0 token request) and returns the tokens. `signal` cuts the call short. */
  signIn(app: OAuthApp, grant: Grant, options?: { signal?: AbortSignal | undefined }): Promise<TokenSet>
  /** Revokes a token; a token that is already invalid counts as revoked. */
  revoke(baseUrl: string, token: string): Promise<void>
  /** Where to send the admin's browser for "Connect with Salesforce" (authorization code with PKCE). */
  authorizeUrl(
    app: Pick<OAuthApp, 'loginUrl' | 'consumerKey'>,
    redirectUri: string,
    state: string,
  ): AuthorizeStart
  /** An authenticated session on the org's instance. Opening it makes no call. */
  openSession(tokens: Pick<TokenSet, 'accessToken' | 'instanceUrl'>, options: SessionOptions): CrmSession
  /** The link a user follows to see a record in the CRM itself; null without a usable instance URL. */
  recordUrl(instanceUrl: string | null, recordId: string): string | null
  /**
   * Checks that the org publishes opportunity change events and that the integration user may subscribe.
   * Throws SalesforceError: cdc_disabled, no_access, session_expired, unreachable.
   */
  checkChangeEvents(auth: ChangeStreamAuth): Promise<void>
  /** Opens the opportunity change stream; it runs (reconnecting by itself) until closed. */
  openChangeStream(options: ChangeStreamOptions): ChangeStream
}

/** Who a change stream signs in as. */
export interface ChangeStreamAuth {
  accessToken: string
  instanceUrl: string
  orgId: string
}

/** The change types a change event carries (Apex EventBus.ChangeEventHeader lists the same). */
export type ChangeType =
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'UNDELETE'
  | 'GAP_CREATE'
  | 'GAP_UPDATE'
  | 'GAP_DELETE'
  | 'GAP_UNDELETE'
  | 'GAP_OVERFLOW'

/** One committed change of opportunities, in our terms. */
export interface ChangeEvent {
  changeType: ChangeType
  recordIds: string[]
  /** Field names the change set, changed or cleared (decoded from the header's bitmaps). */
  changedFields: string[]
  nulledFields: string[]
  commitTimestamp: Date
  transactionKey: string
  sequenceNumber: number
  /** The module itself made this change (its client id is in the event's origin). */
  ownChange: boolean
  /** Set when the event could not be read: what it changed is unknown (treat it like an overflow). */
  unreadable?: string | undefined
}

export interface ChangeBatch {
  events: ChangeEvent[]
  /** Where the stream resumes after this batch (opaque text); present on empty keepalive batches too. */
  position: string
}

export type ChangeStreamStatus =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'error'; error: SalesforceError; retryInMs: number }

export interface ChangeStreamOptions {
  auth: ChangeStreamAuth
  /** Signs in again after the stream's session was refused; returns the new auth. */
  reauthenticate(): Promise<ChangeStreamAuth>
  /** Resume after this position; undefined: start with the next change. */
  position: string | undefined
  /** Events asked for at a time (flow control, at most 100). */
  batchSize: number
  /** With nothing received (not even a keepalive) for this long, the stream is taken for dead and reopened. */
  idleTimeoutMs: number
  /**
   * Called for each batch, one at a time, in order; the stream asks for more once it resolves. If it throws,
   * the stream reopens from the last position a batch resolved with, so nothing is skipped.
   */
  onBatch(batch: ChangeBatch): Promise<void>
  /** The position could not be resumed (past retention); the stream goes on from the newest change. */
  onPositionLost(error: SalesforceError): Promise<void>
  onStatus(status: ChangeStreamStatus): void
  /** Reconnect delays: full jitter over baseMs doubling to maxMs. */
  backoff?: { baseMs: number; maxMs: number } | undefined
}

export interface ChangeStream {
  close(): Promise<void>
}

export interface AuthorizeStart {
  url: string
  /** Kept by the caller until the callback and handed to the authorization_code grant. */
  codeVerifier: string
}

export interface SessionOptions {
  /** Signs in again (called once when the CRM says the session expired); returns the new tokens. */
  reauthenticate: () => Promise<TokenSet>
  /**
   * How calls are retried and counted. Without it every call is made once and its failure thrown (Test
   * Connection, live reads); the sync passes retries with backoff and a budget.
   */
  calls?: CallPolicy | undefined
  /**
   * How a write retries a locked row (the only failure a write retries: after a server error or a timeout the
   * write may have happened). Default: 4 attempts, 200 ms doubling to at most 2 s, full jitter.
   */
  writeRetry?: CallPolicy | undefined
}

export interface CallPolicy {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Called before waiting to retry a transient failure (server error, timeout, reset, cut-off answer). */
  onRetry(error: SalesforceError, attempt: number, delayMs: number): Promise<void> | void
  /** Called after each call Salesforce answered (the sync counts it as progress). */
  onAnswer?(): void
  sleep: (ms: number) => Promise<void>
  random: () => number
}

/** The org's daily API allowance (rolling 24 hours). */
export interface DailyLimit {
  max: number
  remaining: number
}

/** Which opportunity fields a session reads, built from what the integration user can see. */
export interface FieldPlan {
  /** The fields asked for, in order (the CRM's own names). */
  select: string[]
  /** Fields that exist but the integration user cannot see (or that no longer exist). */
  hidden: string[]
  /** Extra fields (beyond the standard ones) stored in extra_fields. */
  extra: string[]
  /**
   * The org's corporate currency, given to records that carry none (a single-currency org has no
   * CurrencyIsoCode field), so every amount is stored and shown with its currency.
   */
  defaultCurrency?: string | null | undefined
}

/** One opportunity as the CRM has it, in our terms. `name` is null when the plan did not ask for it (key index). */
export interface OpportunityRecord {
  id: string
  systemModstamp: Date
  isDeleted: boolean
  name: string | null
  accountId: string | null
  accountName: string | null
  amount: number | null
  currencyIsoCode: string | null
  closeDate: string | null
  stageName: string | null
  probability: number | null
  forecastCategoryName: string | null
  type: string | null
  leadSource: string | null
  nextStep: string | null
  description: string | null
  isClosed: boolean
  isWon: boolean
  ownerId: string | null
  ownerName: string | null
  ownerEmail: string | null
  createdDate: Date | null
  lastModifiedDate: Date | null
  /** The user who made the last change (LastModifiedById, LastModifiedBy.Name). */
  lastModifiedById: string | null
  lastModifiedByName: string | null
  extraFields: Record<string, unknown>
}

/** One of the org's opportunity stages (Salesforce: an OpportunityStage row). */
export interface OpportunityStageRecord {
  /** The StageName value opportunities carry. */
  apiName: string
  label: string
  /** The org's order of its stages (Setup's order); null if the CRM gives none. */
  sortOrder: number | null
  isActive: boolean
  isClosed: boolean
  isWon: boolean
  forecastCategoryName: string | null
}

export interface Page<T> {
  records: T[]
  /** Rows of the whole read, as the CRM reports it (on the first page). */
  totalSize: number | undefined
  /** Bulk reads: where the page after this one starts; undefined after the last page. */
  nextLocator?: string | undefined
}

export interface TeamMemberRecord {
  id: string
  opportunityId: string
  userId: string
  role: string | null
  /** ISO timestamp. */
  modstamp: string
  deleted: boolean
}

export interface CrmUserRecord {
  id: string
  name: string | null
  email: string | null
  active: boolean
}

/** Id and version of one opportunity, for reconciliation. */
export interface OpportunityKey {
  id: string
  /** ISO timestamp. */
  systemModstamp: string
}

export interface DeletedRecords {
  records: Array<{ id: string; deletedDate: Date }>
  /** The oldest moment the CRM still reports deletes from; older ones may have been missed. */
  earliestDateAvailable: Date
  /** Deletes up to here are in `records`; the next check starts here. */
  latestDateCovered: Date
}

export interface OpportunityRead {
  plan: FieldPlan
  /** Changed at or after this moment; everything when undefined. */
  since?: Date | undefined
  /** rest: ordered pages (the last record of a page is a safe checkpoint); bulk: an export job, unordered. */
  method: 'rest' | 'bulk'
  pageSize: number
  bulk?: BulkReadOptions | undefined
}

export interface BulkReadOptions {
  pollIntervalMs: number
  sleep: (ms: number) => Promise<void>
  /** A job an interrupted run left, to be read on from `locator` (null: its first page). */
  resume?: { jobId: string; locator: string | null } | undefined
  /** Called once a new job exists (not for a resumed one), before any of its pages is read. */
  onJobCreated?: (jobId: string) => Promise<void>
}

/** A field of the opportunity as describe shows it to the integration user. */
export interface CrmField {
  name: string
  label: string
  /** The CRM's field type (Salesforce: string, picklist, currency, date, percent, double, textarea, ...). */
  type: string
  /** The integration user may change it (false for formula, system and read-only fields, field-level security). */
  updateable: boolean
  nillable: boolean
  custom: boolean
  /** Active values in the org's order (picklists only). */
  picklistValues: Array<{ value: string; label: string }>
  restrictedPicklist: boolean
}

export type CrmValue = string | number | boolean | null

export interface RecordUpdate {
  id: string
  /** Only the fields that change, by the CRM's field names (dates as YYYY-MM-DD, null clears). */
  values: Record<string, CrmValue>
  /** The last modified time the user saw: the CRM refuses the write (kind `conflict`) if the record changed since. */
  ifUnmodifiedSince?: Date | undefined
}

/** The record as the CRM has it now, with who changed it last (for a conflict or to refresh the cache). */
export interface CurrentRecord {
  values: Record<string, CrmValue>
  lastModifiedDate: Date
  lastModifiedBy: { id: string; name: string | null }
}

/** One authenticated session. Every method is one or a few API calls, counted in `calls`. */
export interface CrmSession {
  readonly instanceUrl: string
  /** Calls made so far (every attempt counts). */
  readonly calls: number
  /** The org's API usage as the CRM last reported it with a response. */
  readonly usage: { used: number; limit: number } | undefined
  /** Calls this session may still make before it stops with ApiBudgetExhausted; undefined: no budget. */
  setCallBudget(remainingCalls: number): void
  /** Who the module acts as (OpenID Connect UserInfo). */
  userInfo(): Promise<{ username: string | undefined; name: string | undefined; active: boolean | undefined }>
  limits(): Promise<DailyLimit | undefined>
  /** Change events the org may deliver per 24 hours (its event delivery allocation); undefined if not reported. */
  deliveryAllocation(): Promise<number | undefined>
  /** The opportunity object's visibility and the fields the integration user can read. */
  describeOpportunity(): Promise<{ queryable: boolean; fields: ReadonlySet<string> }>
  /** The fields a read asks for: standard ones and `extraFields` the user can see (keys only with `keyOnly`). */
  planOpportunityFields(
    visibleFields: ReadonlySet<string>,
    extraFields: readonly string[],
    options?: { keyOnly?: boolean; defaultCurrency?: string | null },
  ): FieldPlan
  /** The org's corporate currency (ISO code); null when the CRM does not say. */
  corporateCurrency(): Promise<string | null>
  hasTeamSelling(): Promise<boolean>
  /** The org's opportunity stages in its order, inactive ones included. */
  opportunityStages(): Promise<OpportunityStageRecord[]>
  countOpportunities(since?: Date): Promise<number>
  /** A text that identifies a read: two reads with the same text return the same records (Bulk resume). */
  describeOpportunityRead(read: Pick<OpportunityRead, 'plan' | 'since'>): string
  /** Pages of opportunities, deleted ones included (isDeleted), oldest change first for REST. */
  opportunityPages(read: OpportunityRead): AsyncGenerator<Page<OpportunityRecord>>
  /** Every live opportunity's id and version (no deleted ones). */
  opportunityKeyPages(options: {
    method: 'rest' | 'bulk'
    pageSize: number
    bulk?: BulkReadOptions
  }): AsyncGenerator<Page<OpportunityKey>>
  opportunitiesByIds(
    ids: readonly string[],
    plan: FieldPlan,
    pageSize: number,
  ): AsyncGenerator<Page<OpportunityRecord>>
  teamMemberPages(since: Date | undefined, pageSize: number): AsyncGenerator<Page<TeamMemberRecord>>
  userPages(since: Date | undefined, pageSize: number): AsyncGenerator<Page<CrmUserRecord>>
  /** Opportunities deleted for good (emptied from the recycle bin) between start and end. */
  deletedOpportunities(start: Date, end: Date): Promise<DeletedRecords>
  /**
   * Live reads (cache off): one statement in the CRM's own query language (SOQL for Salesforce), every page
   * of it, deleted records left out. Live mode is the one CRM feature that speaks that language.
   */
  query(statement: string): Promise<{ totalSize: number; records: Array<Record<string, unknown>> }>
  /** Every field of the opportunity with whether the integration user may update it (Module Settings). */
  describeOpportunityFields(): Promise<CrmField[]>
  /**
   * Writes the changed fields of one opportunity (204 from Salesforce), conditional on `ifUnmodifiedSince`.
   * Throws SalesforceError: conflict, validation (with `fields`), read_only_field, bad_picklist_value, deleted,
   * locked (after retries), request_limit_exceeded; an expired session signs in again once.
   */
  updateOpportunity(update: RecordUpdate): Promise<void>
  /** The given fields of one opportunity now, with its last modified time and user; undefined if it is gone. */
  currentOpportunity(id: string, fields: readonly string[]): Promise<CurrentRecord | undefined>
  /** A record `query` returned, in our terms (throws MalformedRecordError). */
  toOpportunityRecord(record: Record<string, unknown>, plan: FieldPlan): OpportunityRecord
}
