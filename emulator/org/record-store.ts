// The org's records. Writes behave as Salesforce documents them: SystemModstamp moves on every change
// (including "automated" ones that leave LastModifiedDate alone, Object Reference "System Fields"), stage
// changes derive Probability, IsClosed, IsWon and the forecast category (schema.ts DEFAULT_STAGES), deletes are soft (recycle bin,
// IsDeleted = true, visible to queryAll) and undelete restores. Timestamps have whole-second precision, as
// Salesforce's do, so several records often share a SystemModstamp.
import type { FieldDef, ObjectDef, SfRecord, SfValue, SoqlDataSource } from './model.js'
import { canonicalId15, to18 } from './ids.js'
import { DEFAULT_STAGES, FORECAST_CATEGORY } from './schema.js'
import type { ValidationRule } from './validation-rules.js'

const RECYCLE_BIN_MS = 15 * 86_400_000

/** One committed record change, for change data capture (emulator/pubsub/change-capture.ts). */
export interface RecordChange {
  objectName: string
  type: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE'
  /** The record after the change (read it synchronously: it is the live row). */
  record: SfRecord
  /** For UPDATE: fields whose value changed, derived ones included. */
  changedFields: string[]
}

export interface DeletedEntry {
  id: string
  objectName: string
  deletedAt: number
}

export class RecordStore implements SoqlDataSource {
  private readonly tables = new Map<string, Map<string, SfRecord>>()
  private readonly definitions = new Map<string, ObjectDef>()
  private readonly byPrefix = new Map<string, string>()
  private readonly templates = new Map<string, string>()
  /** Field-level security: `Object.Field` names hidden from the API user. */
  readonly hiddenFields = new Set<string>()
  /** Field-level security "read only" for the API user: describe says createable/updateable false. */
  readonly readOnlyFields = new Set<string>()
  /** Picklists set to "restrict to the values defined in the value set" (describe's restrictedPicklist). */
  readonly restrictedPicklists = new Set<string>()
  /** Validation rules the control API defined (org/validation-rules.ts), checked on create and update. */
  readonly validationRules: ValidationRule[] = []
  /** Every delete, for Get Deleted (kept after the recycle bin is emptied, as Salesforce's delete log is). */
  readonly deleteLog: DeletedEntry[] = []
  teamSelling = true
  /** Records in the recycle bin → when they were deleted. */
  private readonly inRecycleBin = new Map<string, number>()
  /** Opportunity id → team members deleted with it (undeleted with it too). */
  private readonly cascaded = new Map<string, string[]>()
  private binCursor = 0
  /** The one change point: every insert, update, touch, delete and undelete is reported here. */
  onChange: ((change: RecordChange) => void) | undefined = undefined

  constructor(
    objects: ObjectDef[],
    readonly now: () => number,
    readonly newId: (prefix: string) => string,
  ) {
    for (const definition of objects) {
      this.definitions.set(definition.name, definition)
      this.tables.set(definition.name, new Map())
      this.byPrefix.set(definition.keyPrefix, definition.name)
    }
  }

  /** Salesforce timestamps carry whole seconds. */
  stamp(): number {
    return Math.floor(this.now() / 1000) * 1000
  }

  describeObject(objectName: string): ObjectDef | undefined {
    const name = [...this.definitions.keys()].find((key) => key.toLowerCase() === objectName.toLowerCase())
    if (!name || (name === 'OpportunityTeamMember' && !this.teamSelling)) return undefined
    const definition = this.definitions.get(name) as ObjectDef
    const changed = [this.hiddenFields, this.readOnlyFields, this.restrictedPicklists].some((set) =>
      [...set].some((key) => key.startsWith(`${name}.`)),
    )
    if (!changed) return definition
    return { ...definition, fields: definition.fields.map((f) => this.withSecurity(name, f)) }
  }

  private withSecurity(objectName: string, field: FieldDef): FieldDef {
    const key = `${objectName}.${field.name}`
    let result = field
    if (this.hiddenFields.has(key)) result = { ...result, visible: false }
    if (this.readOnlyFields.has(key)) result = { ...result, createable: false, updateable: false }
    if (this.restrictedPicklists.has(key)) result = { ...result, restrictedPicklist: true }
    return result
  }

  /** Fields the API user can see (describe omits hidden ones). */
  visibleFields(objectName: string): FieldDef[] {
    return this.describeObject(objectName)?.fields.filter((f) => f.visible !== false) ?? []
  }

  objectNames(): string[] {
    return [...this.definitions.keys()].filter((name) => name !== 'OpportunityTeamMember' || this.teamSelling)
  }

  allRecords(objectName: string): Iterable<SfRecord> {
    this.expireRecycleBin()
    return this.tables.get(objectName)?.values() ?? []
  }

  count(objectName: string): number {
    this.expireRecycleBin()
    return this.tables.get(objectName)?.size ?? 0
  }

  findById(objectName: string, id: string): SfRecord | undefined {
    const table = this.tables.get(objectName)
    if (!table) return undefined
    const exact = table.get(id)
    if (exact) return exact
    // A 15-character id, or an 18-character one in another case: the stored key is the canonical 18-character form.
    const canonical = canonicalId15(id)
    return canonical === undefined ? undefined : table.get(to18(canonical))
  }

  objectForId(id: string): string | undefined {
    return this.byPrefix.get((canonicalId15(id) ?? id).slice(0, 3))
  }

  /** Inserts a record as the API would: id, audit fields and derived fields filled in. */
  insert(objectName: string, values: SfRecord, actorId: string | null, at = this.stamp()): SfRecord {
    const definition = this.definitions.get(objectName)
    if (!definition) throw new Error(`unknown object ${objectName}`)
    const record = this.blankRecord(definition)
    record['Id'] = this.newId(definition.keyPrefix)
    Object.assign(record, values, {
      CreatedDate: at,
      CreatedById: actorId,
      LastModifiedDate: at,
      LastModifiedById: actorId,
      SystemModstamp: at,
    })
    if ('IsDeleted' in record) record['IsDeleted'] = false
    this.derive(objectName, record, values)
    this.tables.get(objectName)?.set(String(record['Id']), record)
    this.onChange?.({ objectName, type: 'CREATE', record, changedFields: [] })
    return record
  }

  /**
   * A record with every field present, built by one object literal per object type. Adding ~35 properties one
   * by one makes V8 switch the object to slow dictionary mode (about 2 KB per opportunity, measured); parsing a
   * JSON template keeps it in fast mode (about 0.7 KB), which is what lets a million opportunities fit in memory.
   */
  private blankRecord(definition: ObjectDef): SfRecord {
    let template = this.templates.get(definition.name)
    if (template === undefined) {
      template = JSON.stringify(
        Object.fromEntries(definition.fields.map((f) => [f.name, f.type === 'boolean' ? false : null])),
      )
      this.templates.set(definition.name, template)
    }
    // V8's JSON parser builds fast-mode objects and shares one hidden class between objects with the same keys.
    return JSON.parse(template) as SfRecord
  }

  /** A user's change: LastModifiedDate and SystemModstamp both move. */
  update(objectName: string, id: string, values: SfRecord, actorId: string | null): SfRecord | undefined {
    const record = this.findById(objectName, id)
    if (!record || record['IsDeleted'] === true) return undefined
    const at = this.stamp()
    const before = this.onChange && { ...record }
    Object.assign(record, values, { LastModifiedDate: at, LastModifiedById: actorId, SystemModstamp: at })
    this.derive(objectName, record, values)
    // A user's change always changes LastModifiedDate, even within the same second.
    if (before) this.reportUpdate(objectName, before, record, ['LastModifiedDate'])
    return record
  }

  /** A change by automation (workflow, rollup): only SystemModstamp moves. */
  touch(objectName: string, id: string, values: SfRecord = {}): SfRecord | undefined {
    const record = this.findById(objectName, id)
    if (!record) return undefined
    const before = this.onChange && { ...record }
    Object.assign(record, values, { SystemModstamp: this.stamp() })
    this.derive(objectName, record, values)
    if (before) this.reportUpdate(objectName, before, record)
    return record
  }

  /**
   * FOR VIEW / FOR REFERENCE: sets LastViewedDate or LastReferencedDate and nothing else. Viewing is not an edit,
   * so neither LastModifiedDate nor SystemModstamp moves and no change event is published (the fields' values are
   * "not on the record", which change events leave out: cdc_message_structure.htm, see avro-schema.ts).
   */
  recordUse(
    objectName: string,
    id: string,
    field: 'LastViewedDate' | 'LastReferencedDate',
    at: number,
  ): void {
    const record = this.findById(objectName, id)
    if (record && field in record) record[field] = at
  }

  private reportUpdate(objectName: string, before: SfRecord, record: SfRecord, always: string[] = []): void {
    const changedFields = Object.keys(record).filter(
      (name) => before[name] !== record[name] || always.includes(name),
    )
    this.onChange?.({ objectName, type: 'UPDATE', record, changedFields })
  }

  /**
   * Deletes as the API does: the record goes to the recycle bin (IsDeleted = true, SystemModstamp moves) and into
   * the delete log. Deleting an opportunity cascades to its team members. A team member deleted directly skips the
   * recycle bin and cannot be undeleted (Object Reference "OpportunityTeamMember", IsDeleted:
   * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_opportunityteammember.htm).
   */
  softDelete(objectName: string, id: string): boolean {
    const record = this.findById(objectName, id)
    if (!record || record['IsDeleted'] === true) return false
    const at = this.stamp()
    const recordId = String(record['Id'])
    this.deleteLog.push({ id: recordId, objectName, deletedAt: at })
    this.onChange?.({ objectName, type: 'DELETE', record, changedFields: [] })
    if (objectName === 'OpportunityTeamMember') {
      this.tables.get(objectName)?.delete(recordId)
      return true
    }
    record['IsDeleted'] = true
    record['SystemModstamp'] = at
    this.inRecycleBin.set(recordId, at)
    if (objectName === 'Opportunity') {
      const members: string[] = []
      for (const member of this.allRecords('OpportunityTeamMember')) {
        if (member['OpportunityId'] !== recordId || member['IsDeleted'] === true) continue
        member['IsDeleted'] = true
        member['SystemModstamp'] = at
        members.push(String(member['Id']))
        this.deleteLog.push({ id: String(member['Id']), objectName: 'OpportunityTeamMember', deletedAt: at })
        this.onChange?.({
          objectName: 'OpportunityTeamMember',
          type: 'DELETE',
          record: member,
          changedFields: [],
        })
      }
      if (members.length > 0) this.cascaded.set(recordId, members)
    }
    return true
  }

  undelete(objectName: string, id: string): boolean {
    const record = this.findById(objectName, id)
    if (!record || record['IsDeleted'] !== true) return false
    const at = this.stamp()
    record['IsDeleted'] = false
    record['SystemModstamp'] = at
    this.inRecycleBin.delete(String(record['Id']))
    for (const memberId of this.cascaded.get(String(record['Id'])) ?? []) {
      const member = this.tables.get('OpportunityTeamMember')?.get(memberId)
      if (member) Object.assign(member, { IsDeleted: false, SystemModstamp: at })
      if (member)
        this.onChange?.({
          objectName: 'OpportunityTeamMember',
          type: 'UNDELETE',
          record: member,
          changedFields: [],
        })
    }
    this.cascaded.delete(String(record['Id']))
    this.onChange?.({ objectName, type: 'UNDELETE', record, changedFields: [] })
    return true
  }

  /** Empties the recycle bin for a record: gone from queryAll, still in the delete log. */
  purge(objectName: string, id: string): boolean {
    const record = this.findById(objectName, id)
    if (!record) return false
    if (record['IsDeleted'] !== true) this.softDelete(objectName, id)
    const recordId = String(record['Id'])
    for (const memberId of this.cascaded.get(recordId) ?? [])
      this.tables.get('OpportunityTeamMember')?.delete(memberId)
    this.cascaded.delete(recordId)
    this.inRecycleBin.delete(recordId)
    this.tables.get(objectName)?.delete(recordId)
    return true
  }

  /**
   * The recycle bin keeps records 15 days (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm); after that they leave queryAll for good. Runs
   * lazily from the read paths; the delete log is in time order, so each entry is looked at once.
   */
  private expireRecycleBin(): void {
    const cutoff = this.now() - RECYCLE_BIN_MS
    while (this.binCursor < this.deleteLog.length) {
      const entry = this.deleteLog[this.binCursor] as DeletedEntry
      if (entry.deletedAt > cutoff) return
      this.binCursor += 1
      // Only if this deletion is still the record's current one (not undeleted and deleted again since).
      if (this.inRecycleBin.get(entry.id) === entry.deletedAt) this.purge(entry.objectName, entry.id)
    }
  }

  private derive(objectName: string, record: SfRecord, changed: SfRecord): void {
    if (
      objectName === 'User' &&
      ('FirstName' in changed || 'LastName' in changed || record['Name'] == null)
    ) {
      record['Name'] = [record['FirstName'], record['LastName']].filter(Boolean).join(' ')
    }
    if (objectName === 'User') {
      // The org's defaults for a user created without them (Setup > Company Information: locale, time zone).
      record['TimeZoneSidKey'] ??= 'America/Los_Angeles'
      record['LocaleSidKey'] ??= 'en_US'
      record['LanguageLocaleKey'] ??= 'en_US'
      record['CommunityNickname'] ??= record['Alias'] ?? null
    }
    if (objectName === 'OpportunityTeamMember' && ('UserId' in changed || record['Name'] == null)) {
      // "The team member name" (Object Reference): the user's name, shared with the User record.
      record['Name'] = this.tables.get('User')?.get(String(record['UserId']))?.['Name'] ?? null
    }
    if (objectName !== 'Opportunity') return
    if ('StageName' in changed) {
      const stage = DEFAULT_STAGES.find((s) => s.name === record['StageName'])
      if (stage) {
        if (!('Probability' in changed)) record['Probability'] = stage.probability
        record['IsClosed'] = stage.closed
        record['IsWon'] = stage.won
        if (!('ForecastCategoryName' in changed)) record['ForecastCategoryName'] = stage.forecast
      }
    }
    const category = record['ForecastCategoryName']
    record['ForecastCategory'] = typeof category === 'string' ? (FORECAST_CATEGORY[category] ?? null) : null
    const amount = record['Amount']
    const probability = record['Probability']
    record['ExpectedRevenue'] =
      typeof amount === 'number' && typeof probability === 'number'
        ? Math.round(amount * probability) / 100
        : null
    const closeDate = record['CloseDate']
    if (typeof closeDate === 'string') {
      const year = Number(closeDate.slice(0, 4))
      const quarter = Math.floor((Number(closeDate.slice(5, 7)) - 1) / 3) + 1
      record['FiscalYear'] = year
      record['FiscalQuarter'] = quarter
      record['Fiscal'] = fiscalLabel(year, quarter)
    }
  }
}

export type { SfValue }

// "2026 1": one shared string per quarter instead of one per record.
const fiscalLabels = new Map<number, string>()
function fiscalLabel(year: number, quarter: number): string {
  const key = year * 10 + quarter
  let label = fiscalLabels.get(key)
  if (label === undefined) {
    label = `${year} ${quarter}`
    fiscalLabels.set(key, label)
  }
  return label
}
