"""Commissions: plans, runs that pay orders up the upline, statements and exports."""
