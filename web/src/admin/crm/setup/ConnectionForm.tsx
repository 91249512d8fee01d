// The Setup form: provider, authentication method, the credentials that method needs, and the actions.
import { Button, Checkbox, Group, Radio, Stack, Text } from '@mantine/core'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'

import type { ApiConnection, AuthMethod } from '../../../../../contracts/api/crm-connection.api.js'
import { saveConnection } from '../../../../../contracts/api/crm-connection.api.js'
import { validateBody } from '../../../api/client.js'
import {
  useSaveConnection,
  useStartOAuthConnect,
  useTestConnection,
} from '../../../api/use-crm-connection.js'
import { Dialog, DialogActions } from '../../../components/Dialog.js'
import { emptyLiveRegion, FormAlert, SelectField, TextField } from '../../../components/Field.js'
import { formErrors } from '../../../components/form-errors.js'
import { CheckList } from './CheckList.js'
import {
  authMethodLabels,
  initialState,
  missingRequired,
  reusableSecrets,
  toSettings,
  type FormState,
} from './connection-form-state.js'
import { Notice } from '../../../components/Notice.js'

const savedPlaceholder = 'Saved — leave empty to keep'

/** Every empty or invalid field is marked at once; focus goes to the first once React has marked them. */
function focusFirstInvalid(form: HTMLFormElement | null) {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus())
}

interface ConnectionFormProps {
  connection: ApiConnection | null
  /** Save Settings stored the settings (the server has dispatched the first sync). */
  onSaved?: () => void
}

export function ConnectionForm({ connection, onSaved }: ConnectionFormProps) {
  const [form, setForm] = useState<FormState>(() => initialState(connection))
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({})
  const [confirmingCacheOff, setConfirmingCacheOff] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const resultsRef = useRef<HTMLDivElement>(null)
  const test = useTestConnection()
  const save = useSaveConnection()
  const oauth = useStartOAuthConnect()
  const last = [test, save, oauth].find((m) => m.isError || m.isSuccess)
  const { fields, message } = formErrors(last?.isError ? last.error : null, clientErrors)
  const { stored, mustReenter } = reusableSecrets(connection, form)
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }))

  function run(action: 'test' | 'save' | 'oauth') {
    const body = toSettings(form)
    const errors = { ...missingRequired(form, stored), ...validateBody(saveConnection, body) }
    setClientErrors(errors)
    for (const m of [test, save, oauth]) m.reset()
    if (Object.keys(errors).length > 0) {
      focusFirstInvalid(formRef.current)
      return
    }
    if (action === 'test') test.mutate(body)
    else if (action === 'save')
      save.mutate(body, {
        onSuccess: (result) => {
          if (result.saved) onSaved?.()
        },
      })
    else
      oauth.mutate(body, {
        onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
      })
  }

  function onCacheChange(checked: boolean) {
    // Turning the cache off empties the local copy when saved: ask first (only when there is a copy).
    if (!checked && connection?.cacheLocally) setConfirmingCacheOff(true)
    else set('cacheLocally', checked)
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    run('save')
  }

  const method = form.authMethod
  const report = save.data?.report ?? test.data
  const results = test.isPending || save.isPending || Boolean(save.data) || Boolean(report)
  const finished = test.isSuccess || save.isSuccess || test.isError || save.isError
  // The results replace the buttons' "Testing…": move focus to them and bring them into view, so a long form
  // does not hide the outcome below the fold (and a screen reader starts reading there).
  const invalidCount = Object.keys(fields).length
  useEffect(() => {
    if (!finished) return
    if (invalidCount > 0) {
      focusFirstInvalid(formRef.current)
      return
    }
    resultsRef.current?.focus()
    resultsRef.current?.scrollIntoView({ block: 'nearest' })
  }, [finished, invalidCount, test.data, save.data])
  const secretPlaceholder = (isStored: boolean | undefined) => (isStored ? savedPlaceholder : undefined)

  return (
    <Stack
      gap="md"
      renderRoot={(props) => (
        <form {...props} ref={formRef} onSubmit={onSubmit} noValidate aria-label="Salesforce connection" />
      )}
    >
      <SelectField label="Provider" value="salesforce" onChange={() => undefined}>
        <option value="salesforce">Salesforce</option>
      </SelectField>
      <Radio.Group
        name="authMethod"
        label="Authentication method"
        value={method}
        onChange={(value) => set('authMethod', value as AuthMethod)}
      >
        <Stack gap={6} mt={4}>
          {(Object.keys(authMethodLabels) as AuthMethod[]).map((value) => (
            <Radio key={value} value={value} label={authMethodLabels[value]} />
          ))}
        </Stack>
      </Radio.Group>
      <Notice tone="info">
        Salesforce blocks the username-password flow by default in orgs created since Summer &apos;23 and is
        retiring it. Prefer Client credentials (with an integration user) or Connect with Salesforce. The{' '}
        <Link to="/admin/crm/guide">guide to the Salesforce side</Link> walks through the Connected App and
        explains every check.
      </Notice>
      <TextField
        label="Web Services URL"
        hint="Your org's My Domain URL, for example https://yourcompany.my.salesforce.com"
        type="url"
        value={form.webServicesUrl}
        onChange={(e) => set('webServicesUrl', e.target.value)}
        error={fields.webServicesUrl}
      />
      {mustReenter && (
        <Notice tone="warning">
          The Web Services URL or the Consumer Key differs from the saved one. Stored secrets are only used
          where they were entered: enter every secret again (and approve again with Connect with Salesforce).
        </Notice>
      )}
      {method === 'password' && (
        <>
          <TextField
            label="Username"
            autoComplete="off"
            value={form.username}
            onChange={(e) => set('username', e.target.value)}
            error={fields.username}
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            placeholder={secretPlaceholder(stored?.password)}
            value={form.password}
            onChange={(e) => set('password', e.target.value)}
            error={fields.password}
          />
          <TextField
            label="Security Token"
            type="password"
            autoComplete="off"
            placeholder={secretPlaceholder(stored?.securityToken)}
            value={form.securityToken}
            onChange={(e) => set('securityToken', e.target.value)}
            error={fields.securityToken}
          />
        </>
      )}
      <TextField
        label="Consumer Key"
        autoComplete="off"
        value={form.consumerKey}
        onChange={(e) => set('consumerKey', e.target.value)}
        error={fields.consumerKey}
      />
      <TextField
        label="Consumer Secret"
        type="password"
        autoComplete="off"
        placeholder={secretPlaceholder(stored?.consumerSecret)}
        value={form.consumerSecret}
        onChange={(e) => set('consumerSecret', e.target.value)}
        error={fields.consumerSecret}
      />
      <Checkbox
        label="Cache data locally"
        checked={form.cacheLocally}
        onChange={(e) => onCacheChange(e.currentTarget.checked)}
      />
      <FormAlert message={message} />
      <Group gap="xs">
        <Button variant="default" disabled={test.isPending} onClick={() => run('test')}>
          {test.isPending ? 'Testing… (up to 15 s)' : 'Test Connection'}
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Testing and saving… (up to 15 s)' : 'Save Settings'}
        </Button>
        {method === 'authorization_code' && (
          <Button variant="default" disabled={oauth.isPending} onClick={() => run('oauth')}>
            {oauth.isPending ? 'Opening Salesforce…' : 'Connect with Salesforce'}
          </Button>
        )}
      </Group>
      {confirmingCacheOff && (
        <Dialog title="Turn off the local copy?" onClose={() => setConfirmingCacheOff(false)}>
          <Text>
            When you save, the module deletes its copy of the opportunities&apos; details. Pages then read
            them from Salesforce on every view, which counts against the org&apos;s API allowance. Assignments
            and feeds stay. Turning it back on starts a full sync.
          </Text>
          <DialogActions>
            <Button variant="default" onClick={() => setConfirmingCacheOff(false)}>
              Keep the copy
            </Button>
            <Button
              color="red"
              onClick={() => {
                set('cacheLocally', false)
                setConfirmingCacheOff(false)
              }}
            >
              Turn off
            </Button>
          </DialogActions>
        </Dialog>
      )}
      <div
        aria-live="polite"
        style={results ? undefined : emptyLiveRegion}
        ref={resultsRef}
        tabIndex={-1}
        role="region"
        aria-label="Connection test results"
      >
        {(test.isPending || save.isPending) && <Text c="dimmed">Testing… (up to 15 s)</Text>}
        {save.data &&
          (save.data.saved ? (
            <Notice tone="success">
              Settings saved. Status: {save.data.connection?.status.replace('_', ' ') ?? 'unknown'}. The first
              sync has started: its progress shows under Synchronization.
            </Notice>
          ) : (
            <Notice tone="error">Not saved: Test Connection failed. Fix the problems below.</Notice>
          ))}
        {report && !test.isPending && !save.isPending && <CheckList report={report} />}
      </div>
    </Stack>
  )
}
