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
    "RING_REVIEW_STATUSES",
    "COMMISSION_RUN_STATUSES",
    "ANALYSIS_RUN_STATUSES",
    "ID_RULE",
    "ID_RULE_TEXT",
    "MEMBER_ID",
    "ORDER_ID",
    "PLAN_ID",
    "MAX_LEVELS",
    "MAX_PAGE_SIZE",
    "RATE_SCALE",
    "MAX_AMOUNT_MINOR",
    "COUNTRIES",
    "VIA_SPONSOR",
    "VIA_CODE",
    "VIA_CLICK",
    "ATTRIBUTION_TOUCHES",
    "HELD",
    "APPROVED",
    "REJECTED",
    "REFERRAL_STATUSES",
    "HOLD_UPLINE_LEVELS",
    "BOT_AGENT_MARKERS",
    "REFERRAL_CODE",
    "CODE_ALPHABET",
    "MAX_EVENTS_PER_BATCH",
    "PENDING",
    "CANCELED",
    "CAPPED",
    "REWARD_STATUSES",
    "IN_PAYOUT",
    "REFERRER",
    "FRIEND",
    "MILESTONE",
    "CLAWBACK",
    "REWARD_KINDS",
    "CAP_PERIODS",
    "LEADERBOARD_REFERRALS",
    "LEADERBOARD_BY",
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
# A risk reviewer's verdict on a ring of accounts.
RING_REVIEW_STATUSES = ("confirmed", "dismissed")
# Where a commission run, or an analysis run, stands.
COMMISSION_RUN_STATUSES = ("running", "complete", "failed")
ANALYSIS_RUN_STATUSES = ("queued", *COMMISSION_RUN_STATUSES)
# The hash kind of an order's retail customer reference (never an identifier link).
CUSTOMER = "customer"

# -- referral tracking -------------------------------------------------------------------
# How a new member was attributed to a sponsor, strongest first.
VIA_SPONSOR, VIA_CODE, VIA_CLICK = "sponsor", "code", "click"
ATTRIBUTION_TOUCHES = ("last", "first")
# A referral is held (placed, earning no referral rewards) until someone decides it.
HELD, APPROVED, REJECTED = "held", "approved", "rejected"
REFERRAL_STATUSES = (HELD, APPROVED, REJECTED)
# How far up the sponsor's chain a new member's device or card counts as self-referral.
HOLD_UPLINE_LEVELS = 3
# Lower-case markers of crawlers, link previews and scripts in a user agent: their clicks are
# stored as bots and never counted.
BOT_AGENT_MARKERS = ("bot", "crawler", "spider", "slurp", "preview", "facebookexternalhit", "headless",
                     "curl/", "wget/", "python-requests", "httpclient", "okhttp")
# A referral code: letters, digits, - and _ (stored lower-case); drawn codes use this alphabet.
REFERRAL_CODE = re.compile(r"^[A-Za-z0-9_-]{4,32}$")
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Events (clicks, live orders) one request may carry.
MAX_EVENTS_PER_BATCH = 1000

# -- rewards ---------------------------------------------------------------------------
# A reward line waits out its holding period (pending), is held while its referral is under
# review, is approved, canceled (refunded in the hold, or the referral rejected), or capped.
PENDING, CANCELED, CAPPED = "pending", "canceled", "capped"
REWARD_STATUSES = (PENDING, HELD, APPROVED, CANCELED, CAPPED)
# How a member's balance counts an approved line in a payout batch: in_payout while the
# batch is open, paid once it is paid (ORDER_STATUSES' PAID).
IN_PAYOUT = "in_payout"
# Who a line rewards and why: the referrer and the friend on the friend's first order, the
# referrer at a milestone of approved referrals, or the reversal of an approved line.
REFERRER, FRIEND, MILESTONE, CLAWBACK = "referrer", "friend", "milestone", "clawback"
REWARD_KINDS = (REFERRER, FRIEND, MILESTONE, CLAWBACK)
# Caps per referrer and currency, by calendar period (UTC).
CAP_PERIODS = ("day", "month", "year")
# What a leaderboard ranks members by.
LEADERBOARD_REFERRALS = "referrals"
LEADERBOARD_BY = (LEADERBOARD_REFERRALS, "sales", "earnings")

# -- access ----------------------------------------------------------------------------
ADMIN_ROLE, APP_ROLE, COMPLIANCE_ROLE, ANALYST_ROLE = "admin", "app", "compliance", "analyst"
ROLES = (ADMIN_ROLE, APP_ROLE, COMPLIANCE_ROLE, ANALYST_ROLE)

# -- countries -------------------------------------------------------------------------
# ISO 3166-1 alpha-2, the officially assigned codes (249).
COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC
CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD
GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH
KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW
MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY
UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

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
# The largest order amount, in minor units (10,000,000,000.00 in a 2-digit currency): an
# amount times RATE_SCALE, and a period's sum of amounts, stay within 64-bit integers.
MAX_AMOUNT_MINOR = 10**12
