// How an import ended: complete with its counts, or failed / refused with the reason.
MATCH (i:Import {id: $id})
SET i.status = $status, i.rows = $rows, i.created = $created, i.unchanged = $unchanged, i.changed = $changed,
    i.error = $error, i.finished_at = datetime()
