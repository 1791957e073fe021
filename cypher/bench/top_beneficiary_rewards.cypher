// The member with the most reward lines (the bench's heaviest balance).
MATCH (x:RewardBucket)
UNWIND range(0, size(x.members) - 1) AS m
WITH x.members[m] AS member_id, sum(x.starts[m + 1] - x.starts[m]) AS lines
RETURN member_id, lines
ORDER BY lines DESC, member_id
LIMIT 1
