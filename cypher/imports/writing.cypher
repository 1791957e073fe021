// Imports recorded as still writing (some may have been interrupted).
MATCH (i:Import {status: 'writing'})
RETURN collect(i.id) AS ids
