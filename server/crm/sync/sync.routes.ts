// The Sync Log's endpoints: HTTP in, sync.service.ts out.
import * as api from '../../../contracts/api/sync.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import type { SyncDispatcher } from './sync-dispatch.js'
import { describeSyncHealth } from './sync-log.js'
import { getSyncRun, listSyncRuns, startSync, updateSyncSettings } from './sync.service.js'

export function registerSyncRoutes(route: Route, deps: AppDeps, dispatcher: SyncDispatcher): void {
  route(api.getSyncHealth, async () => describeSyncHealth(deps))
  route(api.startSync, async ({ body, user }) => startSync(deps, dispatcher, user.id, body.trigger))
  route(api.listSyncRuns, async ({ query }) => listSyncRuns(deps, query))
  route(api.getSyncRun, async ({ params }) => getSyncRun(deps, params.id))
  route(api.updateSyncSettings, async ({ body, user }) => updateSyncSettings(deps, user.id, body))
}
