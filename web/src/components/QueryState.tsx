// Loading and error states shared by every query, so each page shows the same calm placeholder.
import { isApiError } from '../api/client.js'

export function Spinner({ label, fullPage = false }: { label: string; fullPage?: boolean }) {
  return (
    <div className={fullPage ? 'state state-full' : 'state'} role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  )
}

export function errorMessage(error: unknown): string {
  if (isApiError(error, 'FORBIDDEN')) return 'You do not have access to this.'
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong. Try again.'
}

export function QueryError({
  error,
  onRetry,
  fullPage = false,
}: {
  error: unknown
  onRetry?: () => void
  fullPage?: boolean
}) {
  return (
    <div className={fullPage ? 'state state-full' : 'state'} role="alert">
      <div className="alert alert-error">
        <p>{errorMessage(error)}</p>
        {onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  )
}
