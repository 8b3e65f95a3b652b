"""The private-use markers rendered text carries for what is not plain text: a cross-reference
`\ue000R\ue001clause-id\ue002` and a placeholder `\ue000P\ue001point.field\ue002`. Answers can
never contain them (answers.py strips them); assemble.py turns them into Word fields and
highlighted ● runs. No Jinja here, so the interview can start without importing it."""
from __future__ import annotations

MARK_OPEN, MARK_SEP, MARK_CLOSE = "\ue000", "\ue001", "\ue002"
MARKERS = MARK_OPEN + MARK_SEP + MARK_CLOSE


def ref_marker(clause_id: str, bare: bool = False) -> str:
    """A cross-reference to an article: its number as the heading shows it (第８条 / Article 8), or
    `bare`, the number alone (8: an item of "Articles 8, 12 and 15")."""
    return f"{MARK_OPEN}{'N' if bare else 'R'}{MARK_SEP}{clause_id}{MARK_CLOSE}"


def schedule_marker(point: str) -> str:
    """A reference to the schedule (別紙) that holds the records answered to `point`."""
    return f"{MARK_OPEN}S{MARK_SEP}{point}{MARK_CLOSE}"


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


# An answer's line break (in a field declared `multiline: true`) travels through rendering as a
# marker too, so that splitting rendered text into paragraphs by lines never turns it into a new
# 項 or 号: the writer makes it a <w:br/> inside its paragraph.
LINE_BREAK = f"{MARK_OPEN}B{MARK_SEP}{MARK_CLOSE}"

# What answer text may not hold. XML 1.0 cannot store C0 controls other than tab, line feed and
# carriage return, lone surrogates, U+FFFE and U+FFFF (Word refuses such a file); C1 controls are
# refused with them. \x85 (NEL) is a line separator, like \n, \r, U+2028 and U+2029.
XML_INVALID = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
UNWRITABLE = XML_INVALID + "\x7f-\x84\x86-\x9f"
SEPARATORS = "\n\r\x85\u2028\u2029"


def describe_char(char: str) -> str:
    """How an error names a character no draft can hold."""
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate {code} (half of a character pair, as a broken copy leaves)"
    if char in "\ufffe\uffff":
        return f"the non-character {code}"
    if char in SEPARATORS:
        return f"a line break {code}"
    return f"a control character {code}"
