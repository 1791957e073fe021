// What a run found, from the results it stored: rings (in all, high-risk, new, the
// largest farm), referrers scored per tier, and the cycle report.
CALL () {
  MATCH (g:Ring {run_id: $id})
  RETURN count(g) AS rings, count(CASE WHEN g.score >= $high_risk THEN 1 END) AS high_risk_rings,
         count(CASE WHEN g.new THEN 1 END) AS new_rings, coalesce(max(g.farm_size), 0) AS largest_farm
}
CALL () {
  MATCH (s:ReferrerScores {run_id: $id})
  UNWIND s.tiers AS tier
  WITH tier, count(*) AS n
  ORDER BY tier
  RETURN collect([tier, n]) AS tiers
}
CALL () {
  OPTIONAL MATCH (c:CycleReport {run_id: $id})
  RETURN c.cycles AS cycles, c.multi_sponsor AS multi_sponsor
}
RETURN rings, high_risk_rings, new_rings, largest_farm, tiers, cycles, multi_sponsor
