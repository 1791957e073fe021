// A member's referral codes, the default first, then by creation.
MATCH (c:ReferralCode)
WHERE c.member_id = $member_id
RETURN c.code AS code, c.member_id AS member_id, c.campaign AS campaign, c.channel AS channel,
       c.is_default AS is_default, c.disabled AS disabled, toString(c.created_at) AS created_at
ORDER BY c.is_default DESC, c.created_at, c.code
