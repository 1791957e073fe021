// A payout batch and its groups per member and currency (stored on it when it was made),
// by member and currency.
MATCH (b:PayoutBatch {id: $id})
RETURN b.id AS id, toString(b.through) AS through, b.status AS status, toString(b.created_at) AS created_at,
       toString(b.paid_at) AS paid_at,
       [i IN range(0, size(b.group_members) - 1) |
        {member_id: b.group_members[i], currency: b.group_currencies[i], total_minor: b.group_totals[i],
         statements: b.group_statements[i], reward_lines: b.group_lines[i]}] AS groups
