// Record a reward run when it completes: the rule version, the date it ran through, its
// lines by status, how many it wrote (new or changed) and how many earlier lines it canceled.
CREATE (r:RewardRun {id: $id, rule_id: $rule_id, rule_version: $rule_version, through: datetime($through),
                     statuses: $statuses, counts: $counts, written: $written, canceled_since: $canceled_since,
                     finished_at: datetime()})
RETURN r.id AS id, r.rule_id AS rule_id, r.rule_version AS rule_version, toString(r.through) AS through,
       r.statuses AS statuses, r.counts AS counts, r.written AS written, r.canceled_since AS canceled_since,
       toString(r.finished_at) AS finished_at
