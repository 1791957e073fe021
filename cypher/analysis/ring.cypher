// One ring of a run with its review, its members (joined, status, sponsor), the
// sponsorships inside it, and the commissions its members earned on its members'
// sales, per currency.
MATCH (g:Ring {run_id: $run_id, id: $id})
OPTIONAL MATCH (v:RingReview {ring_id: g.id})
CALL (g) {
  UNWIND g.members AS member_id
  MATCH (m:Member {id: member_id})
  OPTIONAL MATCH (s:Member)-[:REFERRED]->(m)
  WITH m, s ORDER BY m.id
  RETURN collect({id: m.id, joined_at: toString(m.joined_at), status: m.status, sponsor_id: s.id,
                  sponsored_inside: s.id IN g.members}) AS members
}
CALL (g) {
  UNWIND g.members AS member_id
  MATCH (p:StatementPart {beneficiary_id: member_id})
  UNWIND range(0, size(p.seller_ids) - 1) AS i
  WITH p, i
  WHERE p.seller_ids[i] IN g.members
  WITH p.currencies[i] AS currency, sum(p.amounts[i]) AS amount_minor
  ORDER BY currency
  RETURN collect({currency: currency, amount_minor: amount_minor}) AS commissions
}
RETURN g.id AS id, g.score AS score, g.reasons AS reasons, g.shared AS shared, g.size AS size,
       g.farm_size AS farm_size, g.internal_referrals AS internal_referrals, g.new AS new, members, commissions,
       CASE WHEN v IS NULL THEN null
            ELSE {status: v.status, note: v.note, reviewed_at: toString(v.reviewed_at)} END AS review
