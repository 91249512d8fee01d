// SCIM provisioning: the base URL for the identity provider, and its bearer tokens. A new token is shown once
// (only its hash is kept); a revoked token stops working at once; "last used" shows whether the provider calls.
import { Button } from '@mantine/core'
import { useId, useState, type FormEvent } from 'react'

import { useCreateScimToken, useRevokeScimToken, useScimTokens } from '../../api/use-identity.js'
import { FormAlert, TextField } from '../../components/Field.js'
import { formErrors } from '../../components/form-errors.js'
import { formatDateTime } from '../../shared/format.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { Notice } from '../../components/Notice.js'

export function ScimTokensPanel() {
  const tokens = useScimTokens()
  const create = useCreateScimToken()
  const revoke = useRevokeScimToken()
  const [name, setName] = useState('')
  const tokenInputId = useId()
  const { fields, message } = formErrors(create.isError ? create.error : null, {})

  if (tokens.isPending) return <Spinner label="Loading SCIM tokens" />
  if (tokens.isError) return <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate({ body: { name } }, { onSuccess: () => setName('') })
  }

  return (
    <div className="stack">
      <p>
        SCIM base URL for your identity provider: <code>{tokens.data.baseUrl}</code>
      </p>
      {create.data && (
        <Notice tone="warning" role="status">
          <p>
            New token <strong>{create.data.scimToken.name}</strong>. It is shown only now: copy it into your
            identity provider before leaving this page.
          </p>
          <div className="field">
            <label htmlFor={tokenInputId}>Bearer token</label>
            <input
              id={tokenInputId}
              className="token-value"
              readOnly
              value={create.data.token}
              onFocus={(event) => event.target.select()}
            />
          </div>
        </Notice>
      )}
      <form className="form form-inline" onSubmit={onSubmit} noValidate aria-label="New SCIM token">
        <FormAlert message={message} />
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
      </form>
      {tokens.data.tokens.length === 0 ? (
        <p className="muted">No SCIM tokens yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.tokens.map((token) => (
              <tr key={token.id} className={token.revokedAt ? 'row-inactive' : undefined}>
                <td>{token.name}</td>
                <td>
                  {formatDateTime(token.createdAt, 'Never')}
                  {token.createdBy ? ` by ${token.createdBy}` : ''}
                </td>
                <td>{formatDateTime(token.lastUsedAt, 'Never')}</td>
                <td>{token.revokedAt ? `Revoked ${formatDateTime(token.revokedAt, 'Never')}` : 'Active'}</td>
                <td>
                  {!token.revokedAt && (
                    <Button
                      variant="subtle"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ params: { id: token.id } })}
                    >
                      Revoke<span className="visually-hidden"> {token.name}</span>
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
