// Overlapping the fetch of the next page with the storing of the current one.

/**
 * Asks for the next page as soon as the current one is handed out, so fetching page N+1 from Salesforce
 * overlaps with storing page N. At most one page waits in memory.
 */
export async function* prefetchOne<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next()
  for (;;) {
    const current = await next
    if (current.done) return
    next = source.next()
    // An error of the prefetched page surfaces when it is awaited, not as an unhandled rejection.
    next.catch(() => undefined)
    yield current.value
  }
}
