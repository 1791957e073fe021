// These referral codes as stored (unknown ones are absent).
UNWIND $codes AS code
MATCH (c:ReferralCode {code: code})
RETURN c.code AS code, c.member_id AS member_id, c.campaign AS campaign, c.channel AS channel,
       c.disabled AS disabled
