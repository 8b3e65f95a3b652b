"""The private-use markers rendered text carries for what is not plain text: a cross-reference
`\ue000R\ue001clause-id\ue002` and a placeholder `\ue000P\ue001point.field\ue002`. Answers can
never contain them (answers.py strips them); assemble.py turns them into Word fields and
highlighted ● runs. No Jinja here, so the interview can start without importing it."""
from __future__ import annotations

MARK_OPEN, MARK_SEP, MARK_CLOSE = "\ue000", "\ue001", "\ue002"
MARKERS = MARK_OPEN + MARK_SEP + MARK_CLOSE


def ref_marker(clause_id: str) -> str:
    return f"{MARK_OPEN}R{MARK_SEP}{clause_id}{MARK_CLOSE}"


def placeholder_marker(path: str) -> str:
    return f"{MARK_OPEN}P{MARK_SEP}{path}{MARK_CLOSE}"


class Placeholder:
    """An answer the user has not decided yet (`null`): prints as a highlighted ●."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __str__(self) -> str:
        return placeholder_marker(self.path)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"Placeholder({self.path!r})"
