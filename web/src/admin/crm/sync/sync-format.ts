import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'
import type { Tone } from '../../../theme/theme.js'

export const statusTone: Record<ApiSyncRun['status'], Tone> = {
  running: 'info',
  succeeded: 'success',
  partial: 'warning',
  paused: 'warning',
  failed: 'danger',
}

const stopLabels: Record<NonNullable<ApiSyncRun['stop']>, string> = {
  stalled: 'stalled',
  interrupted: 'interrupted',
  not_reporting: 'not reporting',
  no_progress: 'no progress',
}

/** "Succeeded", "Failed: stalled", "Running: not reporting": how a run ended or why it is not moving. */
export function statusLabel(run: Pick<ApiSyncRun, 'status' | 'stop'>): string {
  const word = run.status.charAt(0).toUpperCase() + run.status.slice(1)
  return run.stop ? `${word}: ${stopLabels[run.stop]}` : word
}

/** A running run that is not moving reads as a warning, never as live progress. */
export function toneOf(run: Pick<ApiSyncRun, 'status' | 'stop'>): Tone {
  return run.status === 'running' && run.stop ? 'warning' : statusTone[run.status]
}
