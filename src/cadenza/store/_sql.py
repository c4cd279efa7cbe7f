"""Named SQL queries and numbered migrations, loaded from the package's ``sql/`` files.

A query file holds blocks that start with ``-- name: <query name>``; the block's SQL runs to the
next such line. Shared files sit in ``sql/``; a dialect directory (``sql/sqlite``,
``sql/postgres``) may override a query by name and holds the dialect's ``migrations/NNNN_*.sql``
and documented ``schema.sql``.
"""

from __future__ import annotations

import enum
import functools
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from cadenza.store._errors import MigrationError

_NAME_LINE = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$")
_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# `:name` not preceded by a colon or word character, so PostgreSQL casts (`::`) stay intact.
_NAMED_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Dialect(enum.Enum):
    """The SQL dialects the store speaks; the value is the directory of its files."""

    SQLITE = "sqlite"
    POSTGRES = "postgres"


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered migration file."""

    version: int
    name: str
    sql: str


def _sql_root() -> Traversable:
    return resources.files("cadenza.store").joinpath("sql")


def _strip_comments(sql: str) -> str:
    # Query text never holds `--` inside a literal, so dropping from `--` to the line end is safe.
    lines = (line.split("--", 1)[0].rstrip() for line in sql.splitlines())
    return "\n".join(line for line in lines if line).strip().rstrip(";").strip()


def parse_queries(text: str, source: str) -> dict[str, str]:
    """The named queries of one file's ``text`` (``source`` names it in errors)."""
    queries: dict[str, str] = {}
    name: str | None = None
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NAME_LINE.match(line)
        if match:
            if name is not None:
                queries[name] = _strip_comments("\n".join(body))
            name = match.group(1)
            if name in queries:
                raise MigrationError(f"{source}:{number}: query {name!r} is defined twice")
            body = []
        elif name is not None:
            body.append(line)
    if name is not None:
        queries[name] = _strip_comments("\n".join(body))
    return queries


def to_psycopg(sql: str) -> str:
    """Rewrite ``?`` / ``:name`` placeholders to psycopg's ``%s`` / ``%(name)s``."""
    sql = sql.replace("%", "%%").replace("?", "%s")
    return _NAMED_PARAM.sub(r"%(\1)s", sql)


@functools.cache
def load_queries(dialect: Dialect) -> Mapping[str, str]:
    """Every named query for ``dialect``: the shared files, then the dialect's overrides
    (read once per process)."""
    root = _sql_root()
    queries: dict[str, str] = {}
    for directory in (root, root.joinpath(dialect.value)):
        for entry in sorted(directory.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith(".sql") and entry.name != "schema.sql":
                queries.update(parse_queries(entry.read_text(encoding="utf-8"), entry.name))
    if dialect is Dialect.POSTGRES:
        queries = {name: to_psycopg(sql) for name, sql in queries.items()}
    return types.MappingProxyType(queries)


@functools.cache
def load_migrations(dialect: Dialect) -> tuple[Migration, ...]:
    """The dialect's migrations in order; numbers must run 1, 2, 3, ... without gaps."""
    directory = _sql_root().joinpath(dialect.value, "migrations")
    migrations: list[Migration] = []
    for entry in directory.iterdir():
        match = _MIGRATION_FILE.match(entry.name)
        if match:
            sql = entry.read_text(encoding="utf-8")
            migrations.append(Migration(int(match.group(1)), entry.name, sql))
    migrations.sort(key=lambda m: m.version)
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise MigrationError(
                f"{dialect.value} migrations: expected number {expected:04d}, found "
                f"{migration.name}"
            )
    return tuple(migrations)


def load_schema(dialect: Dialect) -> str:
    """The documented schema of ``dialect`` (what applying every migration must give)."""
    return _sql_root().joinpath(dialect.value, "schema.sql").read_text(encoding="utf-8")
