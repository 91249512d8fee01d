import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'
import type { Tone } from '../../../theme/theme.js'

export const statusTone: Record<ApiSyncRun['status'], Tone> = {
  running: 'info',
  succeeded: 'success',
  partial: 'warning',
  paused: 'warning',
  failed: 'danger',
}

export function statusLabel(status: ApiSyncRun['status']): string {
  return status.charAt(0).toUpperCase() + status.slice(1)
}
