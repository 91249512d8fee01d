// Notification settings (issue 15 item 4): for each kind of notification, where it goes (in the app, also by
// email, or nowhere) and, for email, at once or in the daily digest. Without a mail server (SMTP_URL) the page
// says email is off and offers the app only. Reached from the bell, in both portals.
import { Button, NativeSelect, Stack, Table, Text } from '@mantine/core'
import { useState } from 'react'

import type { NotificationPreference } from '../../../contracts/api/notifications.api.js'
import { useNotificationPreferences, useUpdateNotificationPreferences } from '../api/use-feed.js'
import { FormAlert } from '../components/Field.js'
import { formErrors } from '../components/form-errors.js'
import { Notice } from '../components/Notice.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { kindLabels, preferenceRows, shownPreference } from './preference-rows.js'

export function NotificationSettingsPage() {
  const query = useNotificationPreferences()
  // Above the form, which a save re-keys: "saved" must outlive that.
  const save = useUpdateNotificationPreferences()
  return (
    <>
      <PageHeader
        title="Notification settings"
        description="Choose how you hear about what happens on your opportunities."
      />
      {query.isLoading ? (
        <Spinner label="Loading your notification settings" />
      ) : query.error || !query.data ? (
        <QueryError error={query.error} />
      ) : (
        <PreferencesForm
          key={JSON.stringify(query.data)}
          emailAvailable={query.data.emailAvailable}
          saved={query.data.preferences}
          save={save}
        />
      )}
    </>
  )
}

function PreferencesForm(props: {
  emailAvailable: boolean
  saved: NotificationPreference[]
  save: ReturnType<typeof useUpdateNotificationPreferences>
}) {
  const { emailAvailable, save } = props
  const [rows, setRows] = useState(() =>
    preferenceRows(props.saved).map((p) => shownPreference(p, emailAvailable)),
  )
  const change = (kind: NotificationPreference['kind'], patch: Partial<NotificationPreference>) => {
    save.reset()
    setRows((current) => current.map((row) => (row.kind === kind ? { ...row, ...patch } : row)))
  }
  const { message } = formErrors(save.error, {})

  return (
    <form
      aria-label="Notification settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        save.reset()
        save.mutate(rows)
      }}
    >
      <Stack gap="md" maw={760}>
        {!emailAvailable && (
          <Notice title="Email is off">
            This workspace has no mail server set up, so notifications are shown in the app only. An
            administrator can turn email on.
          </Notice>
        )}
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Tell me when</Table.Th>
              <Table.Th scope="col">Where</Table.Th>
              <Table.Th scope="col">When by email</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.kind}>
                <Table.Th scope="row" fw={400}>
                  {kindLabels[row.kind]}
                </Table.Th>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Where: ${kindLabels[row.kind]}`}
                    value={row.channel}
                    onChange={(event) =>
                      change(row.kind, {
                        channel: event.currentTarget.value as NotificationPreference['channel'],
                      })
                    }
                  >
                    <option value="in_app">In the app</option>
                    <option value="email" disabled={!emailAvailable}>
                      In the app and by email
                    </option>
                    <option value="off">Off</option>
                  </NativeSelect>
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`When by email: ${kindLabels[row.kind]}`}
                    value={row.timing}
                    disabled={row.channel !== 'email'}
                    onChange={(event) =>
                      change(row.kind, {
                        timing: event.currentTarget.value as NotificationPreference['timing'],
                      })
                    }
                  >
                    <option value="immediate">At once</option>
                    <option value="digest">In the daily digest</option>
                  </NativeSelect>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <FormAlert message={message} />
        {save.isSuccess && (
          <Notice tone="success" role="status">
            Notification settings saved.
          </Notice>
        )}
        <div>
          <Button type="submit" loading={save.isPending}>
            Save notification settings
          </Button>
        </div>
        <Text size="sm" c="dimmed">
          Each email has a link to turn that kind of email off without signing in.
        </Text>
      </Stack>
    </form>
  )
}
