// Kysely shape of the org's opportunity stages (migration 2026_12_07_s01).
export interface CrmOpportunityStageTable {
  connection_id: string
  /** The StageName value opportunities carry. */
  api_name: string
  label: string
  /** The org's order of its stages; null if Salesforce gave none. */
  sort_order: number | null
  is_active: boolean
  is_closed: boolean
  is_won: boolean
  forecast_category_name: string | null
}
