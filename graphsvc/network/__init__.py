"""The referral network: imports, the forest's derived properties, downline and upline."""
