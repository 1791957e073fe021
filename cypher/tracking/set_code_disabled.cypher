// Disable (or enable again) a referral code.
MATCH (c:ReferralCode {code: $code})
SET c.disabled = $disabled
RETURN c.code AS code, c.member_id AS member_id, c.campaign AS campaign, c.channel AS channel,
       c.is_default AS is_default, c.disabled AS disabled, toString(c.created_at) AS created_at
