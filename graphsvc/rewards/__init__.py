"""Rewards beyond level commissions: rules (rules.py), the pure evaluation of reward lines
from the programme's events (evaluate.py), and runs, balances and badges (service.py)."""
