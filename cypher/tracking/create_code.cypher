// A new referral code of a member (the code is drawn at random; referral_code_unique
// refuses a clash, and the caller draws again).  A default code is created only while
// the member has none: writing codes_at first locks the member, so two first asks at
// once make one default.
MATCH (m:Member {id: $member_id})
SET m.codes_at = datetime()
WITH m
WHERE NOT $is_default OR NOT EXISTS { MATCH (d:ReferralCode {member_id: m.id, is_default: true}) }
CREATE (c:ReferralCode {code: $code, member_id: m.id, campaign: $campaign, channel: $channel,
                        is_default: $is_default, disabled: false, created_at: datetime()})
RETURN c.code AS code, c.member_id AS member_id, c.campaign AS campaign, c.channel AS channel,
       c.is_default AS is_default, c.disabled AS disabled, toString(c.created_at) AS created_at
