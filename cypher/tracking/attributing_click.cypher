// The visitor's click that attributes a signup at $at: not a bot, on a code still
// enabled, inside [at - window, at]; the last one, or the first with $first_touch.
MATCH (k:Click)
WHERE k.visitor_hash = $visitor_hash AND k.at >= datetime($at) - duration({seconds: $window_s})
  AND k.at <= datetime($at) AND NOT k.bot
MATCH (c:ReferralCode {code: k.code})
WHERE NOT c.disabled
RETURN k.code AS code, k.member_id AS member_id, k.campaign AS campaign, k.channel AS channel,
       toString(k.at) AS at
ORDER BY CASE WHEN $first_touch THEN k.at END, CASE WHEN NOT $first_touch THEN k.at END DESC
LIMIT 1
