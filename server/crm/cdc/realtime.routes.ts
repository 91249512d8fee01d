// Real-time updates' endpoints: HTTP in, realtime.service.ts out.
import * as api from '../../../contracts/api/realtime.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import { describeRealtime, setRealtime } from './realtime.service.js'

export function registerRealtimeRoutes(route: Route, deps: AppDeps): void {
  route(api.getRealtimeStatus, async () => describeRealtime(deps))
  route(api.setRealtimeEnabled, async ({ body, user }) => setRealtime(deps, user.id, body.enabled))
}
