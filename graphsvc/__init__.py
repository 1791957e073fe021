"""graphsvc: a multi-level referral programme in Neo4j, and the answers its people need."""
