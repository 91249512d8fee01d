// The org's stage order (OpportunityStage.SortOrder) as server and web apply it to stage menus, board columns
// and the pipeline chart (issue 17 item 3). A stage the org does not list (renamed or removed since, or the
// sync has not read the stages yet) has no sortOrder: such stages go after the known ones, alphabetically,
// and the stage-less group (null name) last of all.

export interface OrderedStage {
  name: string | null
  sortOrder: number | null
}

export function compareStages(a: OrderedStage, b: OrderedStage): number {
  if (a.name === null || b.name === null) return a.name === b.name ? 0 : a.name === null ? 1 : -1
  if (a.sortOrder !== null && b.sortOrder !== null && a.sortOrder !== b.sortOrder)
    return a.sortOrder - b.sortOrder
  if ((a.sortOrder === null) !== (b.sortOrder === null)) return a.sortOrder === null ? 1 : -1
  return a.name.localeCompare(b.name)
}

/** `items` in stage order (a new array); `nameOf` and `sortOrderOf` read an item's stage. */
export function sortByStage<T>(
  items: readonly T[],
  nameOf: (item: T) => string | null,
  sortOrderOf: (item: T) => number | null,
): T[] {
  return [...items].sort((x, y) =>
    compareStages(
      { name: nameOf(x), sortOrder: sortOrderOf(x) },
      { name: nameOf(y), sortOrder: sortOrderOf(y) },
    ),
  )
}
