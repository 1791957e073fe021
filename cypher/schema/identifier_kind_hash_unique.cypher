// One node per hashed identifier; members sharing it meet there.
CREATE CONSTRAINT identifier_kind_hash_unique IF NOT EXISTS FOR (i:Identifier) REQUIRE (i.kind, i.hash) IS UNIQUE
