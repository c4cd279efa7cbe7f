"""Multi-token names (``date and time``, ``a-b``) indexed for the parser's longest match."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from cadenza.feel._errors import FeelSyntaxError
from cadenza.feel._lexer import tokenize

__all__ = ["NameIndex", "name_tokens"]

_SIMPLE_NAME = re.compile(r"[A-Za-z_?][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=4096)
def name_tokens(name: str) -> tuple[str, ...] | None:
    """The token texts of a name that spans several tokens, else None."""
    if _SIMPLE_NAME.fullmatch(name):
        return None
    try:
        tokens = tokenize(name)
    except FeelSyntaxError:
        return None
    texts = tuple(t.text for t in tokens[:-1])
    return texts if len(texts) > 1 else None


class NameIndex:
    """Multi-token names, indexed by their first token, longest first."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        """Register a name (single-token names need no index: they parse as themselves)."""
        texts = name_tokens(name)
        if texts is None:
            return
        entries = self._by_first.setdefault(texts[0], [])
        if all(t != texts for t, _ in entries):
            entries.append((texts, name))
            entries.sort(key=lambda e: -len(e[0]))

    def candidates(self, first: str) -> list[tuple[tuple[str, ...], str]]:
        """The names starting with token text ``first``, longest first."""
        return self._by_first.get(first, [])
