// The stored fields of these orders (those that exist), to tell a re-import's
// unchanged rows from changed ones, as rows in one record.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
UNWIND $ids AS id
MATCH (o:Order {id: id})
WHERE NOT coalesce(o.import_id, '') IN unpublished
WITH collect([o.id, head([(s:Member)-[:SOLD]->(o) | s.id]), head([(o)-[:BOUGHT_BY]->(b:Member) | b.id]),
              o.amount_minor, o.currency, o.kind, o.at.epochMillis, o.status, o.customer_hash]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['id', 'seller_id', 'buyer_id', 'amount_minor', 'currency', 'kind', 'at', 'status', 'customer_hash']
       AS columns, rows
