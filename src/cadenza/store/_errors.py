"""The exceptions a store raises for expected failures (everything else is a bug)."""

from __future__ import annotations


class StoreError(Exception):
    """Base of the store's expected failures."""


class PositionConflictError(StoreError):
    """An append whose positions do not follow the partition's log (duplicate or going back)."""

    def __init__(self, partition_id: int, position: int, last_position: int) -> None:
        super().__init__(
            f"partition {partition_id}: record position {position} does not follow the last "
            f"position {last_position}; positions must increase"
        )
        self.partition_id = partition_id
        self.position = position
        self.last_position = last_position


class StaleFencingTokenError(StoreError):
    """A write by a node whose lease on the partition was taken over by another node."""

    def __init__(self, partition_id: int, token: int, current_token: int, owner: str) -> None:
        super().__init__(
            f"partition {partition_id}: fencing token {token} is stale; node {owner!r} holds "
            f"token {current_token}"
        )
        self.partition_id = partition_id
        self.token = token
        self.current_token = current_token
        self.owner = owner


class LeaseHeldError(StoreError):
    """``acquire_partition`` while another node's lease on the partition has not expired."""

    def __init__(self, partition_id: int, owner: str, lease_until: int) -> None:
        super().__init__(
            f"partition {partition_id} is leased by node {owner!r} until {lease_until} ms"
        )
        self.partition_id = partition_id
        self.owner = owner
        self.lease_until = lease_until


class InvalidQueryError(StoreError):
    """A read-model search with an unknown sort field, a bad page or a mistyped filter."""


class MigrationError(StoreError):
    """The database schema is newer than this code or a migration file is malformed."""
