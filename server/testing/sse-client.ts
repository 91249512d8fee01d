// A Server-Sent Events reader for tests: opens a stream with fetch, parses the event stream format
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation) and keeps
// every event and comment it received, so a test can wait for one.
import { LiveEventSchema, type LiveEvent } from '../../contracts/api/live.api.js'

export interface SseStream {
  status: number
  headers: Headers
  /** `at`: performance.now() when the event arrived. */
  events: Array<{ id: string | undefined; event: LiveEvent; at: number }>
  comments: string[]
  /** True once the server ended the stream. */
  ended(): boolean
  lastEventId(): string | undefined
  close(): void
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController()
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  })
  const stream: SseStream = {
    status: response.status,
    headers: response.headers,
    events: [],
    comments: [],
    ended: () => done,
    lastEventId: () => lastId,
    close: () => controller.abort(),
  }
  let done = false
  let lastId: string | undefined
  if (!response.ok || !response.body) {
    done = true
    return stream
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  void (async () => {
    try {
      for (;;) {
        const { value, done: finished } = await reader.read()
        if (finished) break
        buffer += value
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          let data: string | undefined
          let id: string | undefined
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments.push(line.slice(1).trim())
            else if (line.startsWith('data: ')) data = line.slice(6)
            else if (line.startsWith('id: ')) id = line.slice(4)
          }
          if (id !== undefined) lastId = id
          if (data !== undefined)
            stream.events.push({ id, event: LiveEventSchema.parse(JSON.parse(data)), at: performance.now() })
        }
      }
    } catch {
      // Aborted by close(), or the connection was cut.
    } finally {
      done = true
    }
  })()
  return stream
}
