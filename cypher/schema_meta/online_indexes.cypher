// Names of the indexes (constraints are backed by one of the same name) that can serve queries.
SHOW INDEXES YIELD name, state
WHERE state = 'ONLINE'
RETURN name
