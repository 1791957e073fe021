"""What every command shares: settings and services built on first use, and
the audit trail, written here for every command that changes stored data."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import click

from .. import settings as settings_module
from ..access.service import CLI_PRINCIPAL
from ..db import DatabaseUnavailable
from ..errors import Invalid, ServiceError

__all__ = ["Context", "pass_ctx", "Audit", "echo_bad_rows"]


@dataclass
class Audit:
    """What an audited command says it changed: the target and details to record."""

    target: str
    detail: dict = field(default_factory=dict)


class Context:
    """Settings and services, built only when a command needs them."""

    def __init__(self):
        self.settings = settings_module.load()
        self._services = None

    @property
    def services(self):
        """The domain services, around one driver (built on first use)."""
        from ..services import Services

        if self._services is None:
            self._services = Services.build(self.settings)
        return self._services

    def close(self) -> None:
        """Close the driver, if one was opened."""
        if self._services is not None:
            self._services.close()

    @contextmanager
    def audited(self, action: str, target: str = "", *, record_failure: bool = True) -> Iterator[Audit]:
        """Record ``action`` in the audit trail as the command line's admin principal:
        ``ok`` with the details the block sets on the yielded :class:`Audit`, or, when
        the block raises, ``refused: ...`` (a service error) or ``failed: ...``
        (anything else) before the error goes on.  ``record_failure=False`` records
        successes only (a failed first load must leave the database empty)."""
        audit = Audit(target)
        try:
            yield audit
        except BaseException as exc:
            if record_failure:
                outcome = f"refused: {exc}" if isinstance(exc, ServiceError) else f"failed: {type(exc).__name__}: {exc}"
                self._record(action, audit, outcome[:500], on_error=True)
            raise
        self._record(action, audit, "ok")

    def _record(self, action: str, audit: Audit, outcome: str, on_error: bool = False) -> None:
        try:
            self.services.access.audit(CLI_PRINCIPAL, action, audit.target, outcome, audit.detail)
        except DatabaseUnavailable:
            if not on_error:
                raise
            # The command failed because Neo4j is down: its own error says so.


pass_ctx = click.make_pass_decorator(Context)


def echo_bad_rows(refused: Invalid) -> None:
    """Every bad row of a refused file, one message a line, on stderr."""
    for row, messages in refused.errors.items():
        for message in messages:
            click.echo(f"  {row}: {message}", err=True)
