export function MembersTab() { return <p>Loading…</p> }
