// A page of a member's reward lines, newest first (time, then key), after the cursor
// ($before_at in epoch milliseconds).  In each rule the member's lines are a slice of its
// bucket in each month, over consecutive nodes (parts).  Only the nodes that hold the page
// are read: newest first until they hold $limit lines (the newest holding a line before
// the cursor counts one with a cursor, as it may hold later ones; every older one holds
// only earlier ones), and the milestones' nodes ($milestones), whose lines' times are of
// any month.  With no cursor a slice's newest lines are the page's.
// Each list is read once: a property read per element would decode the whole list.  A key
// of evaluate's form (rule:event:kind:member) is stored as '' and made again here.
MATCH (d:RewardMonth)
MATCH (x:RewardBucket)
WHERE x.rule_id = d.rule_id AND x.month = d.month AND x.bucket = $hash % d.buckets AND x.part IS NOT NULL
UNWIND [m IN range(0, size(x.members) - 1) WHERE x.members[m] = $member_id] AS m
WITH x, m
WHERE $before_at IS NULL OR x.first_ats[m] < $before_at
   OR (x.first_ats[m] = $before_at AND x.first_keys[m] < $before_key)
WITH x, m, x.starts[m + 1] - x.starts[m] AS n
ORDER BY x.rule_id, x.month DESC, x.part DESC
WITH x.rule_id AS rule_id, collect(CASE WHEN x.month <> $milestones THEN [x, m, n] END) AS dated,
     collect(CASE WHEN x.month = $milestones THEN [x, m] END) AS undated
WITH rule_id, undated, dated,
     reduce(s = [0, 0], p IN dated | CASE WHEN s[0] >= $limit THEN s
                                           WHEN s[1] = 0 AND $before_at IS NOT NULL THEN [1, 1]
                                           ELSE [s[0] + p[2], s[1] + 1] END)[1] AS enough
UNWIND undated + [p IN dated[..enough] | [p[0], p[1]]] AS pair
WITH rule_id, pair[0] AS x, pair[1] AS m
WITH rule_id, x.starts[m] AS start, x.starts[m + 1] AS end, x.ats AS ats, x.keys AS keys,
     x.event_ids AS event_ids, x.kinds AS kinds, x.amounts AS amounts, x.currencies AS currencies,
     x.statuses AS statuses, x.caps AS caps, x.badges AS badges, x.approves AS approves
UNWIND [i IN range(end - 1, start, -1)[..CASE WHEN $before_at IS NULL THEN $limit ELSE end - start END]
        WHERE $before_at IS NULL OR ats[i] < $before_at
           OR (ats[i] = $before_at AND coalesce(nullIf(keys[i], ''),
                                                rule_id + ':' + event_ids[i] + ':' + kinds[i] + ':' + $member_id)
                                       < $before_key)
       ][..$limit] AS i
WITH *, ats[i] AS at, coalesce(nullIf(keys[i], ''), rule_id + ':' + event_ids[i] + ':' + kinds[i] + ':' + $member_id) AS key
ORDER BY at DESC, key DESC
LIMIT $limit
RETURN key, event_ids[i] AS event_id, kinds[i] AS kind, amounts[i] AS amount_minor, currencies[i] AS currency,
       statuses[i] AS status, CASE caps[i] WHEN '' THEN null ELSE caps[i] END AS cap,
       CASE badges[i] WHEN '' THEN null ELSE badges[i] END AS badge, toString(datetime({epochMillis: at})) AS at,
       CASE WHEN approves[i] < 0 THEN null ELSE toString(datetime({epochMillis: approves[i]})) END AS approves_at,
       rule_id
