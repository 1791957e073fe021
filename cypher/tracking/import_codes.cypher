// Referral codes from a file, checked new (a clash is refused by referral_code_unique).
UNWIND $rows AS r
MATCH (m:Member {id: r.member_id})
CREATE (:ReferralCode {code: r.code, member_id: m.id, campaign: r.campaign, channel: r.channel,
                       is_default: r.is_default, disabled: false, created_at: datetime()})
