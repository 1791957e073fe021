// An interrupted import, its staged rows removed, is marked rolled back.
MATCH (i:Import {id: $id, status: 'writing'})
SET i.status = 'rolled_back', i.error = $error, i.finished_at = datetime()
