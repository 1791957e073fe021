"""Payout batches: approved commission statements and reward lines, per member and
currency above a minimum, referenced by the batch (service.py)."""
