// Bench only: the referral codes behind clicks written straight to the store (one per
// sharer, with the campaign and channel its clicks carry), when none are stored yet.
MATCH (k:Click)
WHERE NOT EXISTS { MATCH (:ReferralCode) }
WITH DISTINCT k.code AS code, k.member_id AS member_id, k.campaign AS campaign, k.channel AS channel
CREATE (:ReferralCode {code: code, member_id: member_id, campaign: campaign, channel: channel, is_default: false,
                       disabled: false, created_at: datetime()})
