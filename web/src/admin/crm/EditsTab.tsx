// Module Settings > Edits: "Allow edits from the portal", which fields (any field the integration user may
// update, custom ones included) and who may edit. Fields Salesforce does not let the module change are listed
// with the reason instead of being offered.
import { List, MultiSelect, Radio, Stack, Switch, Text, Title } from '@mantine/core'

import type { EditSettings, EditSettingsField } from '../../../../contracts/api/edits.api.js'
import { useEditSettings, useUpdateEditSettings } from '../../api/use-edits.js'
import { Notice } from '../../components/Notice.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { SaveSettings } from './SaveSettings.js'
import { useSettingsForm } from './use-settings-form.js'

export function EditsTab() {
  const query = useEditSettings()
  // The save lives above the form: a save that changes the settings re-keys the form, and the answer
  // ("saved", or the error) must outlive that.
  const save = useUpdateEditSettings()
  if (query.isLoading) return <Spinner label="Loading edit settings" />
  if (query.error || !query.data) return <QueryError error={query.error} />
  return (
    <EditSettingsForm
      key={JSON.stringify(query.data.settings)}
      settings={query.data.settings}
      fields={query.data.fields}
      fieldsUnavailable={query.data.fieldsUnavailable}
      save={save}
    />
  )
}

function EditSettingsForm(props: {
  settings: EditSettings
  fields: EditSettingsField[]
  fieldsUnavailable: string | null
  save: ReturnType<typeof useUpdateEditSettings>
}) {
  const form = useSettingsForm(props.settings, props.save)
  const { values, set } = form
  const offered = props.fields.filter((field) => field.notOfferedBecause === null)
  const notOffered = props.fields.filter((field) => field.notOfferedBecause !== null)
  // Chosen fields stay visible even when describe could not be read.
  const options = [
    ...offered.map((field) => ({ value: field.name, label: `${field.label} (${field.name})` })),
    ...values.editableFields
      .filter((name) => !offered.some((field) => field.name === name))
      .map((name) => ({ value: name, label: name })),
  ]

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Edit settings">
      <Stack gap="md" maw={640}>
        <Title order={3}>Edits from the portal</Title>
        <Text size="sm">
          People on a deal can keep it current from the portal. Each change is written to Salesforce at once,
          only if nobody changed the record there since it was loaded.
        </Text>
        <Switch
          label="Allow edits from the portal"
          checked={values.allowEdits}
          onChange={(event) => set('allowEdits', event.currentTarget.checked)}
        />
        <MultiSelect
          label="Fields people may edit"
          description="Any field the integration user may update in Salesforce, custom fields included."
          data={options}
          value={values.editableFields}
          onChange={(editableFields) => set('editableFields', editableFields)}
          searchable
          error={form.errors['editableFields']}
        />
        <Radio.Group
          label="Who may edit"
          value={values.whoMayEdit}
          onChange={(whoMayEdit) => set('whoMayEdit', whoMayEdit as EditSettings['whoMayEdit'])}
        >
          <Stack gap="xs" mt="xs">
            <Radio value="members" label="Members of the opportunity (and admins)" />
            <Radio value="admins" label="Admins only" />
          </Stack>
        </Radio.Group>
        {props.fieldsUnavailable && (
          <Notice tone="warning">Salesforce could not list the fields: {props.fieldsUnavailable}</Notice>
        )}
        <SaveSettings form={form} saved="Edit settings saved." label="Save edit settings" />
        {notOffered.length > 0 && (
          <div>
            <Text fw={600}>Fields not offered ({notOffered.length})</Text>
            <Text size="sm" mt="xs">
              Salesforce does not let the integration user change these: formula and system fields, and fields
              made read only by its profile or field-level security.
            </Text>
            <List size="sm" mt="xs">
              {notOffered.map((field) => (
                <List.Item key={field.name}>
                  {field.label} ({field.name})
                </List.Item>
              ))}
            </List>
          </div>
        )}
      </Stack>
    </form>
  )
}
