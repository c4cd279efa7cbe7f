"""The store: the record log and snapshots (the source of truth) and the read model.

``SqliteStore(path)`` (embedded default, ``":memory:"`` allowed) and ``PostgresStore(dsn)``
(several nodes; needs the ``postgres`` extra) implement ``LogStore`` and ``ReadModel``. The
projector keeps the read model up to date in the append transaction, so a search sees a change
as soon as the command that made it is answered::

    store = SqliteStore("cadenza.sqlite")
    store.append(1, batch.records)
    page = store.search(
        Query(ProcessInstanceFilter(state="ACTIVE"), sort=[("startDate", "desc")],
              page=Page(from_=0, limit=50))
    )
    page.items, page.total

The SQL lives in ``sql/`` (named queries, numbered migrations, the documented schema per
dialect); expected failures raise ``StoreError`` subclasses.
"""

from cadenza.store._base import SqlStore
from cadenza.store._errors import (
    InvalidQueryError,
    LeaseHeldError,
    MigrationError,
    PositionConflictError,
    StaleFencingTokenError,
    StoreError,
)
from cadenza.store._interface import LogStore, Snapshot
from cadenza.store._items import (
    DecisionDefinition,
    DecisionInstance,
    DecisionRequirements,
    ElementInstance,
    ElementStatistics,
    Incident,
    Job,
    ProcessDefinition,
    ProcessInstance,
    UserTask,
    Variable,
)
from cadenza.store._postgres import PostgresStore
from cadenza.store._queries import (
    MAX_PAGE_SIZE,
    DecisionDefinitionFilter,
    DecisionInstanceFilter,
    DecisionRequirementsFilter,
    ElementInstanceFilter,
    Filter,
    IncidentFilter,
    JobFilter,
    Page,
    ProcessDefinitionFilter,
    ProcessInstanceFilter,
    Query,
    ReadModel,
    SearchResult,
    UserTaskFilter,
    VariableFilter,
)
from cadenza.store._sqlite import SqliteStore

__all__ = [
    "MAX_PAGE_SIZE",
    "DecisionDefinition",
    "DecisionDefinitionFilter",
    "DecisionInstance",
    "DecisionInstanceFilter",
    "DecisionRequirements",
    "DecisionRequirementsFilter",
    "ElementInstance",
    "ElementInstanceFilter",
    "ElementStatistics",
    "Filter",
    "Incident",
    "IncidentFilter",
    "InvalidQueryError",
    "Job",
    "JobFilter",
    "LeaseHeldError",
    "LogStore",
    "MigrationError",
    "Page",
    "PositionConflictError",
    "PostgresStore",
    "ProcessDefinition",
    "ProcessDefinitionFilter",
    "ProcessInstance",
    "ProcessInstanceFilter",
    "Query",
    "ReadModel",
    "SearchResult",
    "Snapshot",
    "SqlStore",
    "SqliteStore",
    "StaleFencingTokenError",
    "StoreError",
    "UserTask",
    "UserTaskFilter",
    "Variable",
    "VariableFilter",
]
