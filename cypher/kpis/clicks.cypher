// Clicks on members' links in [from, to), bots left out, grouped by $by (total:
// one group keyed null; month: YYYY-MM; campaign; channel): clicks, distinct
// visitors and distinct members whose links were clicked.
MATCH (k:Click)
WHERE k.at >= $from AND k.at < $to AND k.bot = false
WITH CASE $by WHEN 'month' THEN substring(toString(date(k.at)), 0, 7) WHEN 'campaign' THEN k.campaign
              WHEN 'channel' THEN k.channel END AS key, k
RETURN key, count(k) AS clicks, count(DISTINCT k.visitor_hash) AS visitors, count(DISTINCT k.member_id) AS sharers
