import type { ConnectionCheck, ConnectionTestReport } from '../../../../contracts/api/crm-connection.api.js'

const statusText: Record<ConnectionCheck['status'], { icon: string; word: string; badge: string }> = {
  passed: { icon: '✓', word: 'Passed', badge: 'badge badge-success' },
  warning: { icon: '!', word: 'Warning', badge: 'badge badge-warning' },
  failed: { icon: '✗', word: 'Failed', badge: 'badge badge-danger' },
  skipped: { icon: '–', word: 'Skipped', badge: 'badge' },
}

/** The Test Connection report: one row per check with its outcome, message and hint. */
export function CheckList({ report }: { report: ConnectionTestReport }) {
  return (
    <div className="stack">
      <p className={report.ok ? 'alert alert-success' : 'alert alert-error'}>
        {report.ok
          ? `Every check passed (${(report.durationMs / 1000).toFixed(1)} s).`
          : 'Some checks failed. Fix the problems below and test again.'}
      </p>
      <ul className="check-list" aria-label="Connection checks">
        {report.checks.map((check) => {
          const status = statusText[check.status]
          return (
            <li key={check.id} data-status={check.status}>
              <span className={status.badge}>
                <span aria-hidden="true">{status.icon}</span> {status.word}
              </span>
              <div>
                <strong>{check.label}</strong>: {check.message}
                {check.hint && <div className="check-hint">{check.hint}</div>}
              </div>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
