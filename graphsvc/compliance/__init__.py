"""Compliance: recruitment-vs-sales figures, the rule table and the reviewer's report."""
