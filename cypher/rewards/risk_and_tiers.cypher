// Who a reward run treats specially: each member's VIP tier in the influence run
// $influence_run, and the members of the rings of the rings run $rings_run that are
// high-risk (at least $high_risk) or confirmed by a reviewer (their own rewards are held).
CALL {
  MATCH (s:ReferrerScores {run_id: $influence_run})
  UNWIND range(0, size(s.member_ids) - 1) AS i
  RETURN collect([s.member_ids[i], s.tiers[i]]) AS tiers
}
CALL {
  MATCH (g:Ring {run_id: $rings_run})
  OPTIONAL MATCH (v:RingReview {ring_id: g.id})
  WITH g, v
  WHERE g.score >= $high_risk OR v.status = 'confirmed'
  UNWIND g.members AS member
  RETURN collect(DISTINCT member) AS risky
}
RETURN tiers, risky
