// The key-details widget of the member's detail page with inline editing, when the admin allows edits: each
// allowed field gets its control; a save is optimistic (use-edits.ts) and confirmed or rolled back. If someone
// changed the record in Salesforce meanwhile, the conflict dialog shows both values and who changed it, and
// the user keeps theirs (re-applied on Salesforce's version) or takes Salesforce's.
import { Button, Group, Stack, Table, Text } from '@mantine/core'
import { useState, type ReactNode } from 'react'

import type { EditConflict, EditValue } from '../../../../contracts/api/edits.api.js'
import type { OpportunityDetail } from '../../../../contracts/api/opportunities.api.js'
import { isApiError } from '../../api/client.js'
import {
  detailPropertyOf,
  newIdempotencyKey,
  useEditOpportunity,
  useEditOptions,
} from '../../api/use-edits.js'
import { Dialog } from '../../components/Dialog.js'
import { Notice } from '../../components/Notice.js'
import { OpportunityWidget } from '../../crm/OpportunityView.js'
import { EditableValue } from './EditableValue.js'

interface Conflict {
  values: Record<string, EditValue>
  details: EditConflict
}

export function EditableKeyDetails({ opportunity }: { opportunity: OpportunityDetail }) {
  const options = useEditOptions()
  const edit = useEditOpportunity()
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [notice, setNotice] = useState<string | null>(null)
  const [conflict, setConflict] = useState<Conflict | null>(null)
  const fields = options.data?.canEdit ? options.data.fields : []

  async function save(values: Record<string, EditValue>, lastModifiedDate: string): Promise<boolean> {
    setNotice(null)
    setErrors({})
    try {
      await edit.mutateAsync({
        id: opportunity.id,
        lastModifiedDate,
        values,
        idempotencyKey: newIdempotencyKey(),
      })
      return true
    } catch (error) {
      if (isApiError(error, 'EDIT_CONFLICT') && error.details) {
        setConflict({ values, details: error.details as EditConflict })
        return true
      }
      if (isApiError(error, 'CRM_REJECTED', 'VALIDATION_FAILED') && Object.keys(error.fields).length > 0) {
        setErrors(
          Object.fromEntries(
            Object.entries(error.fields).map(([key, text]) => [key.replace(/^values\./, ''), text]),
          ),
        )
        return false
      }
      setNotice(error instanceof Error ? error.message : 'The change was not saved.')
      return false
    }
  }

  const editable = (name: string, label: string, display: ReactNode): ReactNode => {
    const field = fields.find((candidate) => candidate.name === name)
    if (!field) return display
    const property = detailPropertyOf[name]
    const value = (property ? opportunity[property] : opportunity.extraFields[name]) as EditValue | undefined
    return (
      <EditableValue
        field={field}
        label={label}
        value={value ?? null}
        display={display}
        currency={opportunity.currencyIsoCode}
        error={errors[name]}
        pending={edit.isPending}
        onSave={(next) =>
          save({ [name]: next }, opportunity.lastModifiedDate ?? opportunity.createdDate ?? '')
        }
      />
    )
  }

  return (
    <>
      <OpportunityWidget opportunity={opportunity} editable={fields.length > 0 ? editable : undefined}>
        {notice && (
          <Notice tone="error" role="alert">
            {notice}
          </Notice>
        )}
      </OpportunityWidget>
      {conflict && (
        <ConflictDialog
          conflict={conflict}
          onKeepMine={() => {
            const { values, details } = conflict
            setConflict(null)
            void save(values, details.lastModifiedDate)
          }}
          onTakeTheirs={() => setConflict(null)}
        />
      )}
    </>
  )
}

function shown(value: EditValue): string {
  return value === null || value === '' ? '(empty)' : String(value)
}

function ConflictDialog({
  conflict,
  onKeepMine,
  onTakeTheirs,
}: {
  conflict: Conflict
  onKeepMine: () => void
  onTakeTheirs: () => void
}) {
  const who = conflict.details.lastModifiedByName ?? 'Someone'
  return (
    // The shared Dialog: its close button is labelled and focus goes back to the field's Edit button.
    <Dialog onClose={onTakeTheirs} title="Changed in Salesforce meanwhile">
      <Stack gap="md">
        <Text size="sm">
          {who} changed this opportunity in Salesforce after you opened it. Your change was not saved yet.
        </Text>
        <Table aria-label="Your value and Salesforce's">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Field</Table.Th>
              <Table.Th>Yours</Table.Th>
              <Table.Th>In Salesforce now</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {conflict.details.fields.map((field) => (
              <Table.Tr key={field.field}>
                <Table.Td>{field.field}</Table.Td>
                <Table.Td>{shown(field.ours)}</Table.Td>
                <Table.Td>{shown(field.theirs)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button variant="default" onClick={onTakeTheirs}>
            Take theirs
          </Button>
          <Button onClick={onKeepMine}>Keep mine</Button>
        </Group>
      </Stack>
    </Dialog>
  )
}
