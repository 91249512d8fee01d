// Sync settings: schedule, API budget, Bulk threshold, reconciliation, log retention and extra fields.
import { Button, Stack, Title } from '@mantine/core'
import { useState, type FormEvent } from 'react'

import { updateSyncSettings, type SyncSettings } from '../../../../../contracts/api/sync.api.js'
import { validateBody } from '../../../api/client.js'
import { useUpdateSyncSettings } from '../../../api/use-sync.js'
import { FormAlert, TextField } from '../../../components/Field.js'
import { formErrors } from '../../../components/form-errors.js'

const numberFields = [
  { key: 'intervalMinutes', label: 'Sync every (minutes)', hint: '1 to 1440.', min: 1, max: 1440 },
  {
    key: 'apiBudgetRunPercent',
    label: 'API budget per run (%)',
    hint: 'Share of the daily API allowance one run may use.',
    min: 1,
    max: 100,
  },
  {
    key: 'apiBudgetDayPercent',
    label: 'API budget per day (%)',
    hint: 'Share of the daily API allowance syncs may use.',
    min: 1,
    max: 100,
  },
  {
    key: 'bulkThreshold',
    label: 'Bulk API threshold (records)',
    hint: 'Use the Bulk API when more records than this changed.',
    min: 0,
    max: 100_000_000,
  },
  {
    key: 'reconcileEveryHours',
    label: 'Reconcile every (hours)',
    hint: 'A full comparison that finds deleted records.',
    min: 1,
    max: 720,
  },
  { key: 'logRetentionDays', label: 'Keep the sync log (days)', hint: undefined, min: 1, max: 3650 },
] as const

type NumberKey = (typeof numberFields)[number]['key']

export function SyncSettingsForm({ settings }: { settings: SyncSettings }) {
  const [values, setValues] = useState<Record<NumberKey, string>>(() => {
    const entries = numberFields.map((field) => [field.key, String(settings[field.key])])
    return Object.fromEntries(entries) as Record<NumberKey, string>
  })
  const [extraFields, setExtraFields] = useState(settings.extraFields.join(', '))
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({})
  const update = useUpdateSyncSettings()
  const { fields, message } = formErrors(update.error, clientErrors)

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    const body = {
      ...(Object.fromEntries(numberFields.map((f) => [f.key, Number(values[f.key])])) as Record<
        NumberKey,
        number
      >),
      extraFields: extraFields
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    }
    const errors = validateBody(updateSyncSettings, body)
    // Array item errors (extraFields.0) belong to the one text box.
    const merged: Record<string, string> = {}
    for (const [key, value] of Object.entries(errors)) merged[key.split('.')[0] ?? key] ??= value
    setClientErrors(merged)
    update.reset()
    if (Object.keys(merged).length === 0) update.mutate(body)
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Sync settings">
      <Stack gap="sm" maw={560}>
        <Title order={3}>Sync settings</Title>
        {numberFields.map((field) => (
          <TextField
            key={field.key}
            label={field.label}
            hint={field.hint}
            type="number"
            inputMode="numeric"
            min={field.min}
            max={field.max}
            value={values[field.key]}
            onChange={(e) => setValues((previous) => ({ ...previous, [field.key]: e.target.value }))}
            error={fields[field.key]}
          />
        ))}
        <TextField
          label="Extra fields"
          hint="Salesforce field API names, separated by commas (for example Region__c, NextStep)."
          value={extraFields}
          onChange={(e) => setExtraFields(e.target.value)}
          error={
            fields.extraFields ?? Object.entries(fields).find(([k]) => k.startsWith('extraFields.'))?.[1]
          }
        />
        <FormAlert message={message} />
        <FormAlert tone="success" message={update.isSuccess ? 'Sync settings saved.' : null} />
        <div>
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save sync settings'}
          </Button>
        </div>
      </Stack>
    </form>
  )
}
