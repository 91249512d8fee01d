// How timestamps look to Kysely, stated once for every table interface: read as Date, written as Date or an
// ISO string; `Timestamp` has a database default, `RequiredTimestamp` none, `NullableTimestamp` may be null.
import type { ColumnType } from 'kysely'

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
export type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>
