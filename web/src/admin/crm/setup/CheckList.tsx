import { Notice } from '../../../components/Notice.js'
import type { Tone } from '../../../theme/theme.js'
import type {
  ConnectionCheck,
  ConnectionTestReport,
} from '../../../../../contracts/api/crm-connection.api.js'
import { StatusBadge } from '../../../components/StatusBadge.js'

const statusText: Record<ConnectionCheck['status'], { icon: string; word: string; tone: Tone }> = {
  passed: { icon: '✓', word: 'Passed', tone: 'success' },
  warning: { icon: '!', word: 'Warning', tone: 'warning' },
  failed: { icon: '✗', word: 'Failed', tone: 'danger' },
  skipped: { icon: '–', word: 'Skipped', tone: 'neutral' },
}

/** The Test Connection report: one row per check with its outcome, message and hint. */
export function CheckList({ report }: { report: ConnectionTestReport }) {
  return (
    <div className="stack">
      <Notice tone={report.ok ? 'success' : 'error'}>
        {report.ok
          ? `Every check passed (${(report.durationMs / 1000).toFixed(1)} s).`
          : 'Some checks failed. Fix the problems below and test again.'}
      </Notice>
      <ul className="check-list" aria-label="Connection checks">
        {report.checks.map((check) => {
          const status = statusText[check.status]
          return (
            <li key={check.id} data-status={check.status}>
              <StatusBadge tone={status.tone}>
                <span aria-hidden="true">{status.icon}</span> {status.word}
              </StatusBadge>
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
