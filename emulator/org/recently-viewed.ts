// Each user's recently viewed and referenced records, as SOQL's FOR VIEW and FOR REFERENCE record them and the
// Recently Viewed Items resource (/recent) and sObject Basic Information's recentItems list them.
// Sources:
//  - FOR VIEW / FOR REFERENCE: the retrieved records' LastViewedDate (or LastReferencedDate) is updated and a
//    record is added to the user's RecentlyViewed data, "periodically truncated down to 200 records per object"
//    (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_for_view.htm,
//    https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_for_reference.htm).
//  - /recent answers the current user's most recently viewed or referenced items, at most 200 unless `limit` says
//    fewer (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_recent_items.htm).
// The emulator truncates at once rather than "periodically"; when Salesforce truncates is not documented.

/** FOR VIEW marks a record viewed, FOR REFERENCE referenced (a related record was viewed). */
export type RecentUse = 'VIEW' | 'REFERENCE'

export interface RecentItem {
  objectName: string
  id: string
  at: number
}

export const RECENT_PER_OBJECT = 200

export class RecentlyViewed {
  // Per user, items by record id; a Map keeps insertion order, so re-inserting moves an item to the newest end.
  private readonly byUser = new Map<string, Map<string, RecentItem>>()

  mark(userId: string, objectName: string, ids: readonly string[], at: number): void {
    let items = this.byUser.get(userId)
    if (!items) {
      items = new Map()
      this.byUser.set(userId, items)
    }
    for (const id of ids) {
      items.delete(id)
      items.set(id, { objectName, id, at })
    }
    let ofObject = 0
    for (const item of items.values()) if (item.objectName === objectName) ofObject += 1
    // The oldest of this object go first.
    for (const [id, item] of items) {
      if (ofObject <= RECENT_PER_OBJECT) break
      if (item.objectName !== objectName) continue
      items.delete(id)
      ofObject -= 1
    }
  }

  /** Newest first; only `objectName`'s items when given. */
  list(userId: string, options: { objectName?: string; limit?: number } = {}): RecentItem[] {
    const items = [...(this.byUser.get(userId)?.values() ?? [])].reverse()
    const wanted = options.objectName ? items.filter((i) => i.objectName === options.objectName) : items
    return wanted.slice(0, options.limit ?? wanted.length)
  }
}
