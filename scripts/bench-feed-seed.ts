// bench:feed's data, written set-based (INSERT … SELECT generate_series, with secondary indexes dropped and
// rebuilt: bench-seed.ts). People work in teams of --team who share their deals: each user is on
// assignments / users deals, each deal has its team's members, so a post reaches colleagues' bells and live
// streams. Users, posts and their ids are derived from their number (md5 → uuid), so replies, members and
// notifications are written without joins. The posts and notifications are fixture rows, consistent by
// construction: they are written with triggers off (session_replication_role = replica: no foreign-key
// checks, no live events or change notifications for a million seeded rows), as a restore would.
import { sql } from 'kysely'

import type { Db } from '../server/storage/open-database.js'
import { insertBenchConnection, seedOpportunities, withIndexesDropped } from './bench-seed.js'

export interface FeedSeedSize {
  opportunities: number
  users: number
  assignments: number
  posts: number
  team: number
}

export interface FeedSeedCounts {
  opportunities: number
  users: number
  assignments: number
  posts: number
  replies: number
  notifications: number
}

/** Marks a database seeded by bench:feed (its connection's consumer key), so a later run can reuse it. */
const SEED_MARK = 'bench-feed'

/** The uuid of seeded user `u` (1-based), as the SQL below derives it. */
export const benchUserUuid = (u: number) => sql<string>`md5('bench-user-' || ${u}::int)::uuid`

/** A team's deals: team t (0-based) works on deals t × perUser … t × perUser + perUser − 1. */
export function dealsPerUser(size: FeedSeedSize): number {
  return Math.max(1, Math.floor(size.assignments / size.users))
}

/** The opportunity number (1-based, as in benchOpportunityId) of deal `d` (0-based): spread over the table. */
export function dealOpportunity(size: FeedSeedSize, d: number): number {
  const deals = Math.floor(size.users / size.team) * dealsPerUser(size)
  return 1 + Math.floor((d * size.opportunities) / deals)
}

export async function isSeeded(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('crm_connections')
    .select('id')
    .where('consumer_key', '=', SEED_MARK)
    .executeTakeFirst()
  return row !== undefined
}

export async function seedFeed(db: Db, size: FeedSeedSize, log: (message: string) => void): Promise<void> {
  const { team } = size
  const perUser = dealsPerUser(size)
  const teams = Math.floor(size.users / team)
  const deals = teams * perUser
  // SQL for deal d's opportunity id and for team member j of deal d's team.
  const dealId = (d: string) =>
    sql.raw(`'006BENCH' || lpad((1 + ((${d})::bigint * ${size.opportunities}) / ${deals})::text, 10, '0')`)
  const member = (d: string, j: string) =>
    sql.raw(`md5('bench-user-' || ((${d}) / ${perUser} * ${team} + (${j}) + 1))::uuid`)
  const topLevel = Math.round(size.posts * 0.8)
  const replies = size.posts - topLevel

  await db.updateTable('module_settings').set({ enabled: true }).where('id', '=', 'crm').execute()
  const connectionId = await insertBenchConnection(db, SEED_MARK)
  await sql`insert into users (id, name, email, role)
    select md5('bench-user-' || u)::uuid, 'Feed User ' || u, 'user' || u || '@feed.bench', 'member'
      from generate_series(1, ${size.users}::int) u`.execute(db)
  log(`users: ${size.users.toLocaleString('en')}`)
  await seedOpportunities(db, connectionId, size.opportunities, log)

  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    // Team t's members j = 0 … team − 1 on each of the team's deals.
    await sql`insert into crm_opportunity_members (user_id, opportunity_id, is_manual, manual_added_at)
      select ${member('d', 'j')}, ${dealId('d')}, true, now()
        from generate_series(0, ${deals - 1}::int) d cross join generate_series(0, ${team - 1}::int) j`.execute(
      trx,
    )
    log(`assignments: ${(deals * team).toLocaleString('en')} (${deals.toLocaleString('en')} deals)`)

    await withIndexesDropped(
      trx,
      ['crm_feed_posts', 'crm_notifications'],
      async () => {
        // Top-level post g goes to deal (g − 1) mod deals, by team member ((g − 1) / deals) mod team, one every
        // 30 s back from now; every 4th gets a reply 10 minutes later (which moves its activity time).
        await sql`insert into crm_feed_posts (id, opportunity_id, author_id, kind, body, body_html, created_at,
            activity_at)
          select md5('bench-post-' || g)::uuid, ${dealId('(g - 1) % ' + deals)},
                 ${member('(g - 1) % ' + deals, '((g - 1) / ' + deals + ') % ' + team)}, 'post',
                 'Seeded post ' || g || ': the customer asked for a revised quote and a call next week.',
                 '<p>Seeded post ' || g || ': the customer asked for a revised quote and a call next week.</p>',
                 now() - (${topLevel}::int - g) * interval '30 seconds',
                 now() - (${topLevel}::int - g) * interval '30 seconds'
                   + case when g % 4 = 0 then interval '10 minutes' else interval '0' end
            from generate_series(1, ${topLevel}::int) g`.execute(trx)
        log(`posts: ${topLevel.toLocaleString('en')}`)
        // Reply r answers post 4r (or a later multiple of 4 when there are more replies than such posts), by
        // the next team member.
        await sql`insert into crm_feed_posts (opportunity_id, parent_id, author_id, kind, body, body_html,
            created_at, activity_at)
          select ${dealId('(p - 1) % ' + deals)}, md5('bench-post-' || p)::uuid,
                 ${member('(p - 1) % ' + deals, '((p - 1) / ' + deals + ' + 1) % ' + team)}, 'post',
                 'Seeded reply ' || r || ': sent it this morning.', '<p>Seeded reply ' || r || ': sent it this morning.</p>',
                 now() - (${topLevel}::int - p) * interval '30 seconds' + interval '10 minutes',
                 now() - (${topLevel}::int - p) * interval '30 seconds' + interval '10 minutes'
            from (select r, 4 * (1 + (r - 1) % ${Math.max(1, Math.floor(topLevel / 4))}::int) as p
                    from generate_series(1, ${replies}::int) r) replies`.execute(trx)
        log(`replies: ${replies.toLocaleString('en')}`)
        // Every 8th top-level post told the author's team-mates (new_post); two in three of those are read.
        await sql`insert into crm_notifications (user_id, kind, opportunity_id, post_id, actor_id, created_at,
            read_at)
          select ${member('(g - 1) % ' + deals, '((g - 1) / ' + deals + ' + k) % ' + team)}, 'new_post',
                 ${dealId('(g - 1) % ' + deals)}, md5('bench-post-' || g)::uuid,
                 ${member('(g - 1) % ' + deals, '((g - 1) / ' + deals + ') % ' + team)},
                 now() - (${topLevel}::int - g) * interval '30 seconds',
                 case when g % 24 <> 0 then now() - (${topLevel}::int - g) * interval '30 seconds' + interval '1 hour' end
            from generate_series(8, ${topLevel}::int, 8) g cross join generate_series(1, ${team - 1}::int) k`.execute(
          trx,
        )
        log('notifications written')
      },
      log,
    )
  })
  await sql`analyze`.execute(db)
}

export async function countSeed(db: Db): Promise<FeedSeedCounts> {
  const { rows } = await sql<FeedSeedCounts>`
    select (select count(*) from crm_opportunities)::int as opportunities,
           (select count(*) from users)::int as users,
           (select count(*) from crm_opportunity_members)::int as assignments,
           (select count(*) from crm_feed_posts where parent_id is null)::int as posts,
           (select count(*) from crm_feed_posts where parent_id is not null)::int as replies,
           (select count(*) from crm_notifications)::int as notifications`.execute(db)
  return rows[0] as FeedSeedCounts
}
