// Sign-in with the identity provider: issuer, client, claims, who may sign in, roles, SSO only. The client
// secret is write-only: the field stays empty and "leave empty to keep" applies while issuer and client id
// stay the same (the server refuses to send a stored secret anywhere else).
import { Button, Checkbox, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core'
import { useState, type FormEvent } from 'react'

import {
  saveOidcSettings,
  type OidcSettingsInput,
  type OidcSettingsView,
} from '../../../../contracts/api/identity.api.js'
import { validateBody } from '../../api/client.js'
import { useSaveOidcSettings } from '../../api/use-identity.js'
import { FormAlert, SelectField, TextField } from '../../components/Field.js'
import { formErrors } from '../../components/form-errors.js'

interface FormState extends Omit<OidcSettingsInput, 'allowedDomains' | 'adminGroup' | 'clientSecret'> {
  clientSecret: string
  allowedDomains: string
  adminGroup: string
}

function initialState(view: OidcSettingsView): FormState {
  const s = view.settings
  return {
    enabled: s?.enabled ?? true,
    displayName: s?.displayName ?? '',
    issuer: s?.issuer ?? '',
    clientId: s?.clientId ?? '',
    clientSecret: '',
    scopes: s?.scopes ?? 'openid email profile',
    emailClaim: s?.emailClaim ?? 'email',
    nameClaim: s?.nameClaim ?? 'name',
    groupsClaim: s?.groupsClaim ?? 'groups',
    allowedDomains: (s?.allowedDomains ?? []).join(', '),
    jitEnabled: s?.jitEnabled ?? false,
    adminGroup: s?.adminGroup ?? '',
    ssoOnly: s?.ssoOnly ?? false,
    breakGlassUserId: s?.breakGlassUserId ?? null,
  }
}

function toInput(form: FormState): OidcSettingsInput {
  return {
    ...form,
    clientSecret: form.clientSecret || undefined,
    allowedDomains: form.allowedDomains.split(/[\s,]+/).filter(Boolean),
    adminGroup: form.adminGroup.trim() || null,
    breakGlassUserId: form.breakGlassUserId || null,
  }
}

export function OidcSettingsForm({ view }: { view: OidcSettingsView }) {
  const [form, setForm] = useState<FormState>(() => initialState(view))
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({})
  const save = useSaveOidcSettings()
  const { fields, message } = formErrors(save.isError ? save.error : null, clientErrors)
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }))
  const stored = view.settings
  const keepsSecret = stored?.issuer === form.issuer.trim() && stored.clientId === form.clientId.trim()

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    const input = toInput(form)
    const errors = validateBody(saveOidcSettings, input)
    setClientErrors(errors)
    save.reset()
    // The secret field empties once saved: it is write-only, never shown again.
    if (Object.keys(errors).length === 0) {
      save.mutate({ body: input }, { onSuccess: () => set('clientSecret', '') })
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="OpenID Connect sign-in">
      <Stack gap="md">
        <FormAlert message={message} />
        <FormAlert
          tone="success"
          message={save.isSuccess ? 'Saved. The login page shows the new settings.' : null}
        />
        <Text c="dimmed" size="sm">
          Register these at the provider: redirect URI <Code>{view.redirectUri}</Code>, post-logout redirect
          URI <Code>{view.postLogoutRedirectUri}</Code>.
        </Text>
        <Checkbox
          checked={form.enabled}
          onChange={(e) => set('enabled', e.currentTarget.checked)}
          label="Offer sign-in with the identity provider"
        />
        <TextField
          label="Button name"
          hint='Shown as "Sign in with <name>".'
          value={form.displayName}
          error={fields['displayName']}
          onChange={(e) => set('displayName', e.target.value)}
        />
        <TextField
          label="Issuer URL"
          hint="Exactly the provider's issuer, e.g. https://example.okta.com or https://login.microsoftonline.com/<tenant>/v2.0."
          value={form.issuer}
          error={fields['issuer']}
          onChange={(e) => set('issuer', e.target.value)}
        />
        <TextField
          label="Client id"
          value={form.clientId}
          error={fields['clientId']}
          onChange={(e) => set('clientId', e.target.value)}
        />
        <TextField
          label="Client secret"
          type="password"
          autoComplete="off"
          placeholder={stored && keepsSecret ? 'Saved — leave empty to keep' : undefined}
          hint={stored && !keepsSecret ? 'Issuer or client id changed: enter the secret again.' : undefined}
          value={form.clientSecret}
          error={fields['clientSecret']}
          onChange={(e) => set('clientSecret', e.target.value)}
        />
        <TextField
          label="Scopes"
          value={form.scopes}
          error={fields['scopes']}
          onChange={(e) => set('scopes', e.target.value)}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextField
            label="Email claim"
            value={form.emailClaim}
            error={fields['emailClaim']}
            onChange={(e) => set('emailClaim', e.target.value)}
          />
          <TextField
            label="Name claim"
            value={form.nameClaim}
            error={fields['nameClaim']}
            onChange={(e) => set('nameClaim', e.target.value)}
          />
          <TextField
            label="Groups claim"
            value={form.groupsClaim}
            error={fields['groupsClaim']}
            onChange={(e) => set('groupsClaim', e.target.value)}
          />
        </SimpleGrid>
        <TextField
          label="Allowed email domains"
          hint="Comma-separated, e.g. example.com, example.org. Empty: any domain."
          value={form.allowedDomains}
          error={Object.entries(fields).find(([key]) => key.startsWith('allowedDomains'))?.[1]}
          onChange={(e) => set('allowedDomains', e.target.value)}
        />
        <Checkbox
          checked={form.jitEnabled}
          onChange={(e) => set('jitEnabled', e.currentTarget.checked)}
          label="Create an account at first sign-in for people who have none (verified email only)"
        />
        <TextField
          label="Admin group"
          hint="Members of this group (groups claim or SCIM group) are network admins. Empty: roles are set here."
          value={form.adminGroup}
          error={fields['adminGroup']}
          onChange={(e) => set('adminGroup', e.target.value)}
        />
        <Checkbox
          checked={form.ssoOnly}
          onChange={(e) => set('ssoOnly', e.currentTarget.checked)}
          label="SSO only: refuse passwords, except for the break-glass admin"
        />
        <SelectField
          label="Break-glass admin"
          hint="Keeps a password to get in when the identity provider is down."
          value={form.breakGlassUserId ?? ''}
          error={fields['breakGlassUserId'] ?? fields['ssoOnly']}
          onChange={(e) => set('breakGlassUserId', e.target.value || null)}
        >
          <option value="">None</option>
          {view.breakGlassCandidates.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name} ({candidate.email})
            </option>
          ))}
        </SelectField>
        <Group>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Checking the provider…' : 'Save'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
