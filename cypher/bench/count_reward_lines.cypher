// How many reward lines the store holds.
MATCH (x:RewardLine)
RETURN count(x) AS n
