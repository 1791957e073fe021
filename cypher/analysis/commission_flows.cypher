// Commissions earned on these sellers' orders, by seller and beneficiary, in every run:
// read from the statement parts of the sellers' upline (the only members their orders
// pay), keeping the lines of these sellers.
UNWIND $sellers AS seller_id
MATCH (s:Member {id: seller_id})
UNWIND [x IN split(s.path, '/') WHERE x <> '' AND x <> seller_id] AS upline_id
WITH DISTINCT upline_id
MATCH (p:StatementPart {beneficiary_id: upline_id})
UNWIND range(0, size(p.seller_ids) - 1) AS i
WITH p, i
WHERE p.seller_ids[i] IN $sellers
RETURN p.seller_ids[i] AS seller, p.beneficiary_id AS beneficiary, sum(p.amounts[i]) AS amount
