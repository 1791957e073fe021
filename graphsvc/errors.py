"""Domain errors that services raise; the API layer maps each to a status."""

from __future__ import annotations

__all__ = ["ServiceError", "NotFound", "Conflict", "Invalid"]


class ServiceError(Exception):
    """A failure the caller can act on: a one-line detail and field errors."""

    def __init__(self, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class NotFound(ServiceError):
    """The thing asked for does not exist (or is outside the caller's scope)."""


class Conflict(ServiceError):
    """The request is valid but contradicts the stored state (e.g. a cycle)."""


class Invalid(ServiceError):
    """The input is well-formed but breaks a domain rule (e.g. a bad import row)."""

