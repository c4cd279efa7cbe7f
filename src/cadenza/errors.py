"""Errors the engine reports to its callers (embedded API, gateways)."""

from __future__ import annotations

from cadenza.kernel._records import RejectionType


class CommandRejected(Exception):
    """The engine refused a command; ``rejection_type`` says why (NOT_FOUND, INVALID_STATE...)."""

    def __init__(self, rejection_type: RejectionType, reason: str) -> None:
        self.rejection_type = rejection_type
        self.reason = reason
        super().__init__(f"{rejection_type.name}: {reason}")
