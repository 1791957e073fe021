// Every referral code with a campaign or a channel: how the KPIs group clicks by them.
MATCH (c:ReferralCode)
WHERE c.campaign <> '' OR c.channel <> ''
RETURN c.code AS code, c.campaign AS campaign, c.channel AS channel
