"""The dashboard: pages under /ui for people who will not run curl.

Pages are server-rendered shells; what they show comes from the documented API,
fetched by the page with the session cookie a sign-in gives (the API admits it
in place of a bearer key, by the same policies, so a page can never show what
its key could not fetch).  Front-end libraries come from the npm registry,
pinned by package-lock.json here, installed by scripts/setup.
"""

from .views import bp

__all__ = ["bp"]
