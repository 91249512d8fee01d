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

const shown = (value: unknown) =>
  value === null || value === undefined || value === '' ? '(empty)' : String(value)

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
