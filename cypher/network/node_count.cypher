// How many nodes the database holds (a first load needs an empty one).
MATCH (n)
RETURN count(n) AS nodes
