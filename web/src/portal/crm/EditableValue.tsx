// One field of the key details, editable in place: the value with an Edit button, then the control that fits
// the field's Salesforce type (picklist values in the org's order, a date, a number for currency and percent,
// text) with Save and Cancel. An amount shows its record's currency code and that currency's decimals. Salesforce's own message for the field (a validation rule) shows under it.
import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core'
import { IconPencil } from '@tabler/icons-react'
import { useState, type FormEvent, type ReactNode } from 'react'

import type { EditableField, EditValue } from '../../../../contracts/api/edits.api.js'
import { amountInputFormat } from '../../shared/format.js'

export function EditableValue({
  field,
  label,
  value,
  display,
  currency = null,
  error,
  pending,
  onSave,
}: {
  field: EditableField
  label: string
  value: EditValue
  display: ReactNode
  /** The record's CurrencyIsoCode (the corporate currency in a single-currency org), for currency fields. */
  currency?: string | null
  error: string | undefined
  pending: boolean
  onSave: (value: EditValue) => Promise<boolean>
}) {
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState<EditValue>(value)

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (draft === value) return setEditing(false)
    // Closed at once (optimistic); reopened with the message if Salesforce refuses.
    setEditing(false)
    if (!(await onSave(draft))) setEditing(true)
  }

  if (!editing)
    return (
      <Stack gap={2}>
        <Group gap="xs" wrap="nowrap" justify="space-between">
          <span>{display}</span>
          <ActionIcon
            variant="subtle"
            size="sm"
            aria-label={`Edit ${label}`}
            disabled={pending}
            onClick={() => {
              setDraft(value)
              setEditing(true)
            }}
          >
            <IconPencil size={14} aria-hidden="true" />
          </ActionIcon>
        </Group>
        {error && (
          <Text size="xs" c="red.8" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    )

  return (
    <form onSubmit={(event) => void onSubmit(event)} aria-label={`Edit ${label}`}>
      <Stack gap="xs">
        <FieldControl
          field={field}
          label={label}
          value={draft}
          onChange={setDraft}
          error={error}
          currency={currency}
        />
        <Group gap="xs">
          <Button type="submit" size="xs" loading={pending}>
            Save
          </Button>
          <Button size="xs" variant="default" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function FieldControl({
  field,
  label,
  value,
  onChange,
  error,
  currency,
}: {
  field: EditableField
  label: string
  value: EditValue
  onChange: (value: EditValue) => void
  error: string | undefined
  currency: string | null
}) {
  const common = { label, error, size: 'xs' as const, autoFocus: true }
  switch (field.type) {
    case 'picklist':
      return (
        <Select
          {...common}
          data={field.picklistValues.map((option) => ({ value: option.value, label: option.label }))}
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange(next)}
          allowDeselect={field.nillable}
        />
      )
    case 'currency': {
      // The code sits beside the number, not inside the text being edited.
      const { prefix, suffix, ...numberFormat } = amountInputFormat(currency)
      const code = (text: string | undefined) =>
        text ? (
          <Text size="xs" c="dimmed" aria-hidden="true">
            {text.trim()}
          </Text>
        ) : undefined
      return (
        <NumberInput
          {...common}
          {...(currency ? { description: `In ${currency}` } : {})}
          value={typeof value === 'number' ? value : ''}
          // With fixedDecimalScale Mantine hands over "30000.00" as a string (to keep the zeros): a number too.
          onChange={(next) => onChange(amountFromInput(next))}
          {...numberFormat}
          fixedDecimalScale
          leftSection={code(prefix)}
          leftSectionWidth={prefix ? 44 : undefined}
          rightSection={code(suffix)}
          rightSectionWidth={suffix ? 44 : undefined}
          hideControls
        />
      )
    }
    case 'percent':
    case 'double':
    case 'int':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(next) => onChange(typeof next === 'number' ? next : null)}
          {...(field.type === 'percent' ? { suffix: ' %' } : {})}
          decimalScale={field.type === 'int' ? 0 : 2}
        />
      )
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value || null)}
        />
      )
    case 'textarea':
      return (
        <Textarea
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value || null)}
        />
      )
    default:
      return (
        <TextInput
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value || null)}
        />
      )
  }
}

/** NumberInput's value as a number, or null when the field is empty or not a number. */
function amountFromInput(next: number | string): number | null {
  if (typeof next === 'number') return next
  if (next.trim() === '') return null
  const parsed = Number(next)
  return Number.isFinite(parsed) ? parsed : null
}
