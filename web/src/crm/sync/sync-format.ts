import type { ApiSyncRun } from '../../../../contracts/api/sync.api.js'

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes} min ${seconds % 60} s`
}

export const statusBadge: Record<ApiSyncRun['status'], string> = {
  running: 'badge',
  succeeded: 'badge badge-success',
  partial: 'badge badge-warning',
  paused: 'badge badge-warning',
  failed: 'badge badge-danger',
}

export function statusLabel(status: ApiSyncRun['status']): string {
  return status.charAt(0).toUpperCase() + status.slice(1)
}

export const numberFormat = new Intl.NumberFormat()
