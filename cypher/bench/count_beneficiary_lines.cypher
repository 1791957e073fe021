// How many reward lines a member has.
MATCH (x:RewardLine)
WHERE x.beneficiary_id = $member_id AND x.at IS NOT NULL AND x.key IS NOT NULL
RETURN count(x) AS n
