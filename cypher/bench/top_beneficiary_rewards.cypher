// The member with the most reward lines (the bench's heaviest balance).
MATCH (x:RewardLine)
WITH x.beneficiary_id AS member_id, count(*) AS lines
RETURN member_id, lines
ORDER BY lines DESC, member_id
LIMIT 1
