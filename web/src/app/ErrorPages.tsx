import { isRouteErrorResponse, Link, useRouteError } from 'react-router'

export function NotFoundPage() {
  return (
    <div className="centered-page">
      <div className="panel narrow">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link className="button button-primary" to="/">
          Go to the start page
        </Link>
      </div>
    </div>
  )
}

/** Shown when a page crashes while rendering, instead of a blank screen. */
export function RouteErrorPage() {
  const error = useRouteError()
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />
  return (
    <div className="centered-page">
      <div className="panel narrow" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">This page failed to load. Reloading usually helps.</p>
        <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    </div>
  )
}
