"""The programme's vocabulary: every name and bound the domains share, defined once.

Services, the API's schemas, the command line and the Cypher queries (as
parameters) all take these from here; ``tests/unit/test_domain.py`` fails
when one of them is written out again anywhere else.
"""

from __future__ import annotations

import re

__all__ = [
    "MEMBER_STATUSES",
    "ACTIVE",
    "ORDER_KINDS",
    "RETAIL",
    "PERSONAL",
    "ENROLLMENT",
    "INVENTORY",
    "ORDER_STATUSES",
    "PAID",
    "REFUNDED",
    "IDENTIFIER_KINDS",
    "CUSTOMER",
    "ROLES",
    "ADMIN_ROLE",
    "APP_ROLE",
    "COMPLIANCE_ROLE",
    "ANALYST_ROLE",
    "STRONG_IDENTIFIER_KINDS",
    "ID_RULE",
    "ID_RULE_TEXT",
    "MEMBER_ID",
    "ORDER_ID",
    "PLAN_ID",
    "MAX_LEVELS",
    "MAX_PAGE_SIZE",
    "RATE_SCALE",
]

# -- members -------------------------------------------------------------------------
ACTIVE = "active"
MEMBER_STATUSES = (ACTIVE, "inactive", "terminated")

# -- orders ----------------------------------------------------------------------------
# End-user volume is retail (to outside customers) plus personal (a member's own
# use); recruitment volume is enrollment kits plus inventory bought to qualify.
RETAIL, PERSONAL, ENROLLMENT, INVENTORY = "retail", "personal", "enrollment", "inventory"
ORDER_KINDS = (RETAIL, PERSONAL, ENROLLMENT, INVENTORY)
PAID, REFUNDED = "paid", "refunded"
ORDER_STATUSES = (PAID, REFUNDED)

# -- identifiers -------------------------------------------------------------------------
DEVICE, CARD = "device", "card"
IDENTIFIER_KINDS = ("email", "phone", DEVICE, "ip", CARD, "address")
# Kinds that one person rarely shares with another: one in common links two accounts.
STRONG_IDENTIFIER_KINDS = frozenset({DEVICE, CARD})
# The hash kind of an order's retail customer reference (never an identifier link).
CUSTOMER = "customer"

# -- access ----------------------------------------------------------------------------
ADMIN_ROLE, APP_ROLE, COMPLIANCE_ROLE, ANALYST_ROLE = "admin", "app", "compliance", "analyst"
ROLES = (ADMIN_ROLE, APP_ROLE, COMPLIANCE_ROLE, ANALYST_ROLE)

# -- ids -------------------------------------------------------------------------------
# Members, orders and plans share one id rule: it is safe in a URL path, a CSV
# cell and a log line.
ID_RULE = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
ID_RULE_TEXT = "letters, digits, _.:- up to 64, starting with a letter or digit"
MEMBER_ID = ORDER_ID = PLAN_ID = re.compile(ID_RULE)

# -- bounds ----------------------------------------------------------------------------
# Levels below a member that are counted and stored, that a downline request may
# ask for, and that a plan may pay.
MAX_LEVELS = 20
MAX_PAGE_SIZE = 1000
# Commission rates are integer parts per million, so ledger arithmetic stays in integers.
RATE_SCALE = 1_000_000
