// Writes to Salesforce for portal edits, and the reads around them: describe's updateable fields, the PATCH of
// the changed fields (REST API "Update Records Using sObject Rows", 204 No Content on success,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve_patch.htm),
// made conditional with If-Unmodified-Since ("Conditional Request Headers": the record changed since the date →
// 412, https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/intro_rest_conditional_requests.htm),
// and the record read back with its LastModifiedBy. Errors become SalesforceError kinds (salesforce-errors.ts).
import type { CallPolicy, CrmField, CrmValue, CurrentRecord, RecordUpdate } from '../crm-provider.js'
import type { CallTracker } from './call-tracker.js'
import { restQueryPages } from './salesforce-reader.js'

/** describe's picklistValues entries (DescribeSObjectResult PicklistEntry). */
interface PicklistEntry {
  value: string
  label: string | null
  active: boolean
}

/** Locked rows clear within moments (another transaction commits); four tries over about three seconds. */
export const DEFAULT_WRITE_RETRY: CallPolicy = {
  attempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  onRetry: () => undefined,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
}

/** Field names we put into SOQL: API names only (letters, digits, underscores, one relationship dot). */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/
const ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/

export function createOpportunityWriter(tracker: CallTracker, apiVersion: string, writeRetry: CallPolicy) {
  return {
    describeOpportunityFields: async (): Promise<CrmField[]> => {
      const describe = await tracker.call('describing Opportunity', (conn) =>
        conn.sobject('Opportunity').describe(),
      )
      return describe.fields.map((field) => ({
        name: field.name,
        label: field.label,
        type: field.type,
        updateable: field.updateable,
        nillable: field.nillable,
        custom: field.custom,
        picklistValues: ((field.picklistValues ?? []) as PicklistEntry[])
          .filter((value) => value.active)
          .map((value) => ({ value: value.value, label: value.label ?? value.value })),
        restrictedPicklist: field.restrictedPicklist,
      }))
    },

    updateOpportunity: async (update: RecordUpdate): Promise<void> => {
      const headers: Record<string, string> = {}
      // An HTTP-date has whole seconds, as LastModifiedDate has (RFC 9110 §5.6.7).
      if (update.ifUnmodifiedSince) headers['If-Unmodified-Since'] = update.ifUnmodifiedSince.toUTCString()
      await tracker.call(
        'updating an opportunity',
        (conn) => conn.sobject('Opportunity').update({ Id: update.id, ...update.values }, { headers }),
        undefined,
        { policy: writeRetry, kinds: ['locked'] },
      )
    },

    currentOpportunity: async (id: string, fields: readonly string[]): Promise<CurrentRecord | undefined> => {
      if (!ID.test(id)) return undefined
      const wanted = [...new Set(fields.filter((field) => FIELD_NAME.test(field)))]
      const select = [
        ...new Set(['Id', ...wanted, 'LastModifiedDate', 'LastModifiedById', 'LastModifiedBy.Name']),
      ]
      const soql = `SELECT ${select.join(', ')} FROM Opportunity WHERE Id = '${id}'`
      for await (const page of restQueryPages(tracker, apiVersion, soql, { includeDeleted: false })) {
        const record = page.records[0]
        if (!record) return undefined
        const by = record['LastModifiedBy'] as { Name?: unknown } | null | undefined
        return {
          values: Object.fromEntries(wanted.map((field) => [field, (record[field] ?? null) as CrmValue])),
          lastModifiedDate: new Date(String(record['LastModifiedDate'])),
          lastModifiedBy: {
            id: String(record['LastModifiedById']),
            name: typeof by?.Name === 'string' ? by.Name : null,
          },
        }
      }
      return undefined
    },
  }
}
