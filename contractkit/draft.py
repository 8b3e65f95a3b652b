"""The draft model: what a contract draft is, before any Word. `assemble` produces it; every
output is a writer over it (`contractkit.docx.write(model, target, options)`), and `redline`
compares two of them.

A `Draft` is one language's document, top to bottom:

- `title` (str), then `preamble`, `closing`, `date_line`: lists of `Paragraph`;
- `articles`: `Article`s in order, each matched across drafts by `clause_id` (stable), not by
  `number` (1-based, changes when an article is added before it); `heading` is the text without
  its number (the number is Word's list); `comment` the guideline comment (None: none);
- `signatures`: per signing party, a list of `Paragraph`;
- `schedules`: `Schedule`s (別紙), tables of records after the signature blocks.

A `Paragraph` is a 項: `segments`, and `items` (its 号), each item a list of segments. A segment
is one of: a `str` (text; "\n" is a line break within the paragraph), a `Ref` (a field: the
number of an article or schedule, cached as `text`, pointing at `bookmark`), or a `Hole` (an open
answer, written as a highlighted ●). Two drafts built from the same answers are equal but for
`created`.

`Bilingual(ja, en)` is a side-by-side draft (two `Draft`s with the same articles); `Memo` the
negotiation memo's rows over a draft. The stamp (`stamp`, `answers_sha256`) is written into the
document's custom properties.
"""
from __future__ import annotations

from dataclasses import dataclass, field

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

MONTHS = ("January February March April May June July August September October November December").split()


@dataclass
class Ref:
    target: str
    bookmark: str
    text: str          # the number as Word shows it: 第３条 / Article 3 (別紙1 / Schedule 1), or 3 when bare
    schedule: bool = False   # a reference to a schedule's heading (its number is a SEQ field, not the list's)
    bare: bool = False       # the number alone, its list's text left out (REF \t): an item of "Articles 3 and 5"


@dataclass
class Schedule:
    """A schedule (別紙) after the signature blocks: the rows of a list-of-records answer as a table."""

    point: str               # the point (or point.field) whose answer it holds
    number: int              # in the order the articles first refer to it
    title: str
    bookmark: str
    columns: list            # column headings
    rows: list               # per record: per column, a list of segments (text, Hole)


@dataclass
class Hole:
    path: str


@dataclass
class Paragraph:
    segments: list
    items: list = field(default_factory=list)


@dataclass
class Article:
    clause_id: str
    variant: str
    number: int
    heading: str
    bookmark: str
    paragraphs: list
    guidance: str | None = None
    comment: str | None = None       # the guideline comment Word shows beside the heading


@dataclass
class Draft:
    contract: str
    kind: str
    lang: str
    title: str
    preamble: list
    articles: list
    closing: list
    date_line: list
    signatures: list          # per signing party: list of Paragraph
    stamp: list
    placeholders: list        # (path, where)
    answers_sha256: str
    schedules: list = field(default_factory=list)   # Schedule, in the order of their numbers
    term_ids: list = field(default_factory=list)    # the defined terms' IDs, in the definitions' order
    comment_author: str = "contractkit"
    created: str = ""                # set when written (comments carry it)


def bookmark_name(clause_id: str) -> str:
    return ("ck_" + clause_id.replace("-", "_"))[:40]


def old_place_bookmark(name: str) -> str:
    """The bookmark a moved article's heading carries at its old place in a redline (`name` at the
    new place): a name is one bookmark, so the old place has a name of its own, and the references
    to the article point at it in OLD's text of the redline (what rejecting every change keeps).
    A bookmark name is at most 40 characters: a long one is cut and told apart by a digest."""
    if len(name) <= 36:
        return name + "_old"
    import hashlib
    return name[:31] + "_old" + hashlib.sha1(name.encode()).hexdigest()[:5]


def schedule_bookmark(point: str) -> str:
    return ("ckSch_" + point.replace("-", "_").replace(".", "__"))[:40]


def schedule_number_text(number: int, lang: str) -> str:
    return f"別紙{number}" if lang == "ja" else f"Schedule {number}"


def article_number_text(number: int, lang: str) -> str:
    return f"第{str(number).translate(FULLWIDTH)}条" if lang == "ja" else f"Article {number}"


def format_date(date, lang: str) -> str | None:
    if date is None:
        return None
    return f"{date.year}年{date.month}月{date.day}日" if lang == "ja" else f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


@dataclass
class Bilingual:
    """A ja+en draft: Japanese on the left, English on the right, article by article."""

    ja: Draft
    en: Draft


@dataclass
class Memo:
    """The negotiation memo over `draft`: one row per position (see memo.memo_rows)."""

    library: object
    resolved: object
    draft: Draft
    rows: list


def segment_text(segment, lang: str) -> str:
    """A segment as a reader sees it: text, a reference's cached number, ● for a hole."""
    if isinstance(segment, str):
        return segment
    if isinstance(segment, Ref):
        return segment.text
    return "●" if lang == "ja" else "[●]"
