// Follows the signed-in user's live event stream (GET /api/live, Server-Sent Events) and refreshes what an
// event says changed: the feed of one opportunity, the bell, the opportunity lists. EventSource reconnects
// by itself and sends Last-Event-ID, so the server replays what was missed
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface).
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'

import { LIVE_PATH, LiveEventSchema } from '../../../contracts/api/live.api.js'
import { feedKey, notificationsKey } from './use-feed.js'
import { opportunitiesKey } from './use-opportunities.js'

export function useLiveEvents(enabled: boolean): void {
  const queryClient = useQueryClient()
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return
    const source = new EventSource(LIVE_PATH)
    source.onmessage = (message: MessageEvent<string>) => {
      const parsed = LiveEventSchema.safeParse(JSON.parse(message.data))
      if (!parsed.success) return
      const event = parsed.data
      switch (event.type) {
        case 'feed':
          void queryClient.invalidateQueries({ queryKey: feedKey(event.opportunityId) })
          void queryClient.invalidateQueries({ queryKey: opportunitiesKey })
          break
        case 'notifications':
          void queryClient.invalidateQueries({ queryKey: notificationsKey })
          break
        case 'membership':
        case 'opportunity':
          void queryClient.invalidateQueries({ queryKey: opportunitiesKey })
          break
        case 'reset':
          void queryClient.invalidateQueries()
          break
        case 'ready':
          break
      }
    }
    return () => source.close()
  }, [enabled, queryClient])
}
