// Store clicks on referral links: the visitor, address and user agent as keyed hashes
// only; bots are kept, marked, and never counted.
UNWIND $clicks AS k
CREATE (:Click {code: k.code, member_id: k.member_id, campaign: k.campaign, channel: k.channel,
                visitor_hash: k.visitor_hash, ip_hash: k.ip_hash, agent_hash: k.agent_hash, bot: k.bot,
                at: datetime(k.at), landing_page: k.landing_page})
