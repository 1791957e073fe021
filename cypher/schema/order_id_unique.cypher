// Orders are addressed by their id; re-imports upsert by it.
CREATE CONSTRAINT order_id_unique IF NOT EXISTS FOR (o:Order) REQUIRE o.id IS UNIQUE
