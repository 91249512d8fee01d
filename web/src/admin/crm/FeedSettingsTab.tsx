// Module Settings > Feed: who may post in opportunity feeds (unless an opportunity says otherwise) and who may
// add people to a deal from the portal. Both are module defaults; the server enforces them. Below them,
// whether notification email is working (MailStatusPanel).
import { MultiSelect, Radio, Stack, Text, Title } from '@mantine/core'

import type { FeedSettings, WhoMayPost } from '../../../../contracts/api/feed.api.js'
import { useFeedSettings, useUpdateFeedSettings } from '../../api/use-feed.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { MailStatusPanel } from './MailStatusPanel.js'
import { SaveSettings } from './SaveSettings.js'
import { useSettingsForm } from './use-settings-form.js'

type Values = FeedSettings

// The timeline's names for the fields it can track (server/crm/feed/timeline.ts).
const trackableOptions: Array<{ value: FeedSettings['trackedFields'][number]; label: string }> = [
  { value: 'StageName', label: 'Stage' },
  { value: 'Amount', label: 'Amount' },
  { value: 'CloseDate', label: 'Close date' },
  { value: 'Probability', label: 'Probability' },
  { value: 'NextStep', label: 'Next step' },
  { value: 'ForecastCategoryName', label: 'Forecast category' },
  { value: 'Name', label: 'Name' },
  { value: 'Type', label: 'Type' },
  { value: 'LeadSource', label: 'Lead source' },
  { value: 'OwnerId', label: 'Owner' },
]

export function FeedSettingsTab() {
  const query = useFeedSettings()
  // The save lives above the form: a save that changes the settings re-keys the form, and the answer
  // ("saved", or the error) must outlive that.
  const save = useUpdateFeedSettings()
  if (query.isLoading) return <Spinner label="Loading feed settings" />
  if (query.error || !query.data) return <QueryError error={query.error} />
  return (
    <Stack gap="xl">
      <FeedSettingsForm
        key={JSON.stringify(query.data.settings)}
        settings={query.data.settings}
        save={save}
      />
      <MailStatusPanel />
    </Stack>
  )
}

function WhoChoice(props: { label: string; value: WhoMayPost; onChange: (value: WhoMayPost) => void }) {
  return (
    <Radio.Group label={props.label} value={props.value} onChange={(v) => props.onChange(v as WhoMayPost)}>
      <Stack gap="xs" mt="xs">
        <Radio value="members" label="Members of the opportunity (and admins)" />
        <Radio value="admins" label="Admins only" />
      </Stack>
    </Radio.Group>
  )
}

function FeedSettingsForm(props: { settings: Values; save: ReturnType<typeof useUpdateFeedSettings> }) {
  const form = useSettingsForm(props.settings, props.save)
  const { values, set } = form

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Feed settings">
      <Stack gap="md" maw={640}>
        <Title order={3}>Opportunity feeds</Title>
        <Text size="sm">
          The people on a deal talk about it in its feed. An opportunity can have its own posting rule; these
          are the defaults.
        </Text>
        <WhoChoice
          label="Who may post"
          value={values.whoMayPost}
          onChange={(whoMayPost) => set('whoMayPost', whoMayPost)}
        />
        <WhoChoice
          label="Who may add members to a deal"
          value={values.whoMayAddMembers}
          onChange={(whoMayAddMembers) => set('whoMayAddMembers', whoMayAddMembers)}
        />
        <MultiSelect
          label="Fields the change timeline tracks"
          description="A sync that changes one of these writes an entry in the deal's feed. Won, lost, deleted and restored always do."
          data={trackableOptions}
          value={values.trackedFields}
          onChange={(picked) => set('trackedFields', picked as FeedSettings['trackedFields'])}
          error={form.errors['trackedFields']}
        />
        <SaveSettings form={form} saved="Feed settings saved." label="Save feed settings" />
      </Stack>
    </form>
  )
}
