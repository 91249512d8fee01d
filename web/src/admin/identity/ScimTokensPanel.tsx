// SCIM provisioning: the base URL for the identity provider, and its bearer tokens. A new token is shown once
// (only its hash is kept); a revoked token stops working at once; "last used" shows whether the provider calls.
import { Button, Code, Group, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'
import { useState, type FormEvent } from 'react'

import type { ScimToken } from '../../../../contracts/api/identity.api.js'
import { DataTable, type DataColumn } from '../../components/DataTable.js'

import { useCreateScimToken, useRevokeScimToken, useScimTokens } from '../../api/use-identity.js'
import { FormAlert, TextField } from '../../components/Field.js'
import { formErrors } from '../../components/form-errors.js'
import { formatDateTime } from '../../shared/format.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { Notice } from '../../components/Notice.js'

const column = createColumnHelper<ScimToken>()

function tokenColumns(onRevoke: (id: string) => void, busy: boolean): DataColumn<ScimToken>[] {
  return [
    column.accessor('name', { header: 'Name', meta: { rowHeader: true } }),
    column.accessor('createdAt', {
      header: 'Created',
      cell: ({ row: { original: t } }) =>
        `${formatDateTime(t.createdAt, 'Never')}${t.createdBy ? ` by ${t.createdBy}` : ''}`,
    }),
    column.accessor('lastUsedAt', {
      header: 'Last used',
      cell: (info) => formatDateTime(info.row.original.lastUsedAt, 'Never'),
    }),
    column.accessor('revokedAt', {
      header: 'Status',
      cell: ({ row: { original: t } }) =>
        t.revokedAt ? `Revoked ${formatDateTime(t.revokedAt, 'Never')}` : 'Active',
    }),
    column.display({
      id: 'actions',
      header: () => <VisuallyHidden>Actions</VisuallyHidden>,
      cell: ({ row: { original: t } }) =>
        !t.revokedAt && (
          <Button variant="subtle" size="xs" disabled={busy} onClick={() => onRevoke(t.id)}>
            Revoke<VisuallyHidden> {t.name}</VisuallyHidden>
          </Button>
        ),
    }),
  ] as DataColumn<ScimToken>[]
}

export function ScimTokensPanel() {
  const tokens = useScimTokens()
  const create = useCreateScimToken()
  const revoke = useRevokeScimToken()
  const [name, setName] = useState('')
  const { fields, message } = formErrors(create.isError ? create.error : null, {})

  if (tokens.isPending) return <Spinner label="Loading SCIM tokens" />
  if (tokens.isError) return <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate({ body: { name } }, { onSuccess: () => setName('') })
  }

  return (
    <Stack gap="md">
      <Text>
        SCIM base URL for your identity provider: <Code>{tokens.data.baseUrl}</Code>
      </Text>
      {create.data && (
        <Notice tone="warning" role="status">
          <Text mb="xs">
            New token <strong>{create.data.scimToken.name}</strong>. It is shown only now: copy it into your
            identity provider before leaving this page.
          </Text>
          <TextInput
            label="Bearer token"
            readOnly
            ff="monospace"
            value={create.data.token}
            onFocus={(event) => event.target.select()}
          />
        </Notice>
      )}
      <form onSubmit={onSubmit} noValidate aria-label="New SCIM token">
        <FormAlert message={message} />
        <Group align="flex-start" gap="sm">
          <TextField
            label="Token name"
            hint="Which provider uses it, e.g. Okta."
            value={name}
            error={fields['name']}
            onChange={(event) => setName(event.target.value)}
          />
          <Button variant="default" type="submit" disabled={create.isPending}>
            New token
          </Button>
        </Group>
      </form>
      {tokens.data.tokens.length === 0 ? (
        <Text c="dimmed">No SCIM tokens yet.</Text>
      ) : (
        <DataTable
          rows={tokens.data.tokens}
          columns={tokenColumns((id) => revoke.mutate({ params: { id } }), revoke.isPending)}
          rowId={(token) => token.id}
          label="SCIM tokens"
          dimmed={(token) => token.revokedAt !== null}
        />
      )}
    </Stack>
  )
}
