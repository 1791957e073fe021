// Imports whose process still holds its lease (an open transaction carrying the id).
SHOW TRANSACTIONS YIELD metaData
WHERE metaData.graphsvc_import IS NOT NULL
RETURN collect(metaData.graphsvc_import) AS ids
