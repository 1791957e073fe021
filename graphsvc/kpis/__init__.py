"""Programme KPIs: is the referral programme working, measured on the referral tree."""
