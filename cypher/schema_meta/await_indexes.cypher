// Block until every index has finished populating.
CALL db.awaitIndexes(300)
