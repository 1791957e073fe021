"""Referral tracking: codes, clicks and live signups attributed to a sponsor."""
