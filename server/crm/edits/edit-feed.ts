// The feed line of a portal edit: "<user> changed Stage: A → B from the portal" (several fields joined by ";").
import type { FieldChange } from './edits.repository.js'

const LABELS: Record<string, string> = {
  StageName: 'Stage',
  Amount: 'Amount',
  CloseDate: 'Close Date',
  Probability: 'Probability',
  NextStep: 'Next Step',
  Name: 'Name',
  Type: 'Type',
  LeadSource: 'Lead Source',
  Description: 'Description',
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value) ?? ''
}

export function editFeedText(
  who: string,
  changes: readonly FieldChange[],
  labels: ReadonlyMap<string, string>,
) {
  const parts = changes.map(
    (change) =>
      `${labels.get(change.field) ?? LABELS[change.field] ?? change.field}: ${shown(change.before)} → ${shown(change.after)}`,
  )
  return `${who} changed ${parts.join('; ')} from the portal`
}
