"""`redline`: two draft models (contractkit.draft) compared article by article, for a writer to
render as Word tracked changes (docx/redline.py).

Articles are matched by clause id, never by number: renumbering is no change, and a reference
is the same when it points at the same article or schedule whatever number it shows. An article
only one draft has is one insertion or deletion; an article both have whose place among the
others changed is a move. Inside a paragraph the unit is a word (English) or a run of one kind of
character (Japanese: kanji, hiragana, katakana, Latin letters and figures, each punctuation mark
alone), compared with difflib.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .draft import Article, Hole, Ref

SAME, CHANGED, INSERTED, DELETED, MOVED_FROM, MOVED_TO = "same", "changed", "inserted", "deleted", "moved-from", "moved-to"

_EN = re.compile(r"\s+|[A-Za-z0-9]+(?:[’'][A-Za-z]+)?|.", re.S)
_JA = re.compile(r"[\u4e00-\u9fff\u3005\u3006\u30f6]+|[\u3041-\u309f]+|[\u30a0-\u30ff\u30fc]+|[A-Za-z0-9０-９Ａ-Ｚａ-ｚ]+|\s+|.", re.S)


REWRITTEN = 0.5    # a paragraph less alike than this is shown as deleted and inserted whole, not word by word


@dataclass
class ArticleChange:
    status: str              # SAME (its text may still differ inside), INSERTED, DELETED, MOVED_FROM, MOVED_TO
    old: Article | None
    new: Article | None


def tokens(segments: list, lang: str) -> list:
    """The units a paragraph is compared in: words or character runs of its text, and its
    references and holes, each one unit."""
    out = []
    pattern = _EN if lang == "en" else _JA
    for seg in segments:
        if isinstance(seg, str):
            out += pattern.findall(seg)
        else:
            out.append(seg)
    return out


def _key(token):
    if isinstance(token, Ref):
        return ("ref", token.target, token.bare, token.schedule)   # not its cached number
    if isinstance(token, Hole):
        return ("hole", token.path)
    return token


def inline(old: list, new: list, lang: str) -> list[tuple[str, list]]:
    """One paragraph's segments, old against new, as runs of ("=" | "-" | "+", segments); equal
    text and references are taken from `new` (a reference with its new number)."""
    a, b = tokens(old, lang), tokens(new, lang)
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    if matcher.ratio() < REWRITTEN:       # mostly rewritten: the old text out, the new in, each in one piece
        return [(op, _merge(toks)) for op, toks in (("-", a), ("+", b)) if toks]
    out: list[tuple[str, list]] = []

    def add(op: str, toks: list) -> None:
        if not toks:
            return
        if out and out[-1][0] == op:
            out[-1][1].extend(toks)
        else:
            out.append((op, list(toks)))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("=", b[j1:j2])
        else:
            add("-", a[i1:i2])
            add("+", b[j1:j2])
    return [(op, _merge(toks)) for op, toks in out]


def _merge(toks: list) -> list:
    out: list = []
    for t in toks:
        if isinstance(t, str) and out and isinstance(out[-1], str):
            out[-1] += t
        else:
            out.append(t)
    return out


def plain(segments: list) -> str:
    return "".join(s if isinstance(s, str) else f"\ue000{_key(s)}" for s in segments)


def align(old: list, new: list, key=plain) -> list[tuple[str, object, object]]:
    """Two lists of units (paragraphs, rows) aligned: (SAME | CHANGED, old, new), (DELETED, old,
    None), (INSERTED, None, new). In a replaced stretch, units are paired in order while they
    are at least a little alike; the rest are deletions and insertions."""
    ka, kb = [key(u) for u in old], [key(u) for u in new]
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [(SAME, old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        i, j = i1, j1
        while i < i2 and j < j2 and difflib.SequenceMatcher(None, ka[i], kb[j], autojunk=False).ratio() >= 0.3:
            out.append((CHANGED, old[i], new[j]))
            i, j = i + 1, j + 1
        out += [(DELETED, old[k], None) for k in range(i, i2)]
        out += [(INSERTED, None, new[k]) for k in range(j, j2)]
    return out


def articles(old: list[Article], new: list[Article]) -> list[ArticleChange]:
    """Articles in the redline's order: NEW's, an article only OLD has after the article it
    followed in OLD; an article whose order among the common ones changed is a move (from its
    old place, to its new one)."""
    old_ids = [a.clause_id for a in old]
    new_ids = [a.clause_id for a in new]
    common_old = [c for c in old_ids if c in set(new_ids)]
    common_new = [c for c in new_ids if c in set(old_ids)]
    staying = set()
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, common_old, common_new, autojunk=False).get_opcodes():
        if tag == "equal":
            staying.update(common_old[i1:i2])
    by_old = {a.clause_id: a for a in old}
    by_new = {a.clause_id: a for a in new}
    # what of OLD goes before each article that stays: the removed and moved-away ones before it in OLD
    before: dict[str | None, list[ArticleChange]] = {}
    pending: list[ArticleChange] = []
    for cid in old_ids:
        if cid in staying:
            before.setdefault(cid, []).extend(pending)
            pending = []
        elif cid in by_new:
            pending.append(ArticleChange(MOVED_FROM, by_old[cid], by_new[cid]))
        else:
            pending.append(ArticleChange(DELETED, by_old[cid], None))
    out: list[ArticleChange] = []
    for cid in new_ids:
        out += before.pop(cid, [])
        if cid in staying:
            out.append(ArticleChange(SAME, by_old[cid], by_new[cid]))
        elif cid in by_old:
            out.append(ArticleChange(MOVED_TO, by_old[cid], by_new[cid]))
        else:
            out.append(ArticleChange(INSERTED, None, by_new[cid]))
    out += pending
    return out


# -- the command ---------------------------------------------------------------------------------

def answers_of(path, pack_path=()):
    """The answers file behind `path`: itself, or, for a draft contractkit built, the answers file
    beside it (or in the current folder) whose resolved answers give the draft's stamp."""
    from pathlib import Path

    from .errors import UserError
    path = Path(path)
    if path.suffix.lower() not in (".docx", ".dotx"):
        return path
    from .reading import local, open_package
    try:
        with open_package(path) as pkg:
            part = pkg.part_of("", "custom-properties")
            props = {p.get("name"): "".join(p.itertext()) for p in pkg.xml(part) if local(p) == "property"} if part else {}
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 (a file that is no Word package)
        raise UserError(f"{path}: not a Word draft ({exc})") from None
    sha = props.get("contractkit.answers_sha256")
    if not sha:
        raise UserError(f"{path}: no contractkit stamp (contractkit.answers_sha256), so the answers it was built from "
                        "are unknown; give the answers file instead")
    from .answers import library_for, read_answers, resolve
    folders = dict.fromkeys([path.parent.resolve(), Path.cwd().resolve()])
    for folder in folders:
        for candidate in sorted(folder.glob("*.yaml")):
            try:
                tree = read_answers(candidate)
                library = library_for(tree, pack_path, str(candidate), candidate)
                lang = "ja" if tree.get("language") == "ja+en" else None
                resolved = resolve(tree, library, str(candidate), candidate.parent, **({"lang_override": lang} if lang else {}))
            except UserError:
                continue
            if resolved.sha256 == sha:
                return candidate
    where = " or ".join(str(f) for f in folders)
    raise UserError(f"{path}: built from answers stamped {sha[:12]}…, and no answers file in {where} gives that stamp "
                    "(changed since?); give the answers file instead")


def make_redline(old, new, output, author: str | None = None, clean: bool = False, reference=None,
                 force: bool = False, pack_path=(), draft_header=None, library=None) -> dict:
    """Write OUTPUT: NEW's draft with tracked changes against OLD's (answers files or drafts
    contractkit built). Returns a summary: the articles inserted, deleted, moved and changed."""
    from pathlib import Path

    from .build import check_target, draft_model
    from .docx import WriteOptions, write
    from .draft import Bilingual
    from .errors import UserError
    from .files import write_together

    output = Path(output)
    if output.suffix.lower() != ".docx":
        raise UserError(f"-o {output}: a redline is a Word file; give a name ending in .docx")
    old_file, new_file = answers_of(old, pack_path), answers_of(new, pack_path)
    for given in (old, new, old_file, new_file):
        if Path(given).exists() and output.exists() and Path(given).resolve() == output.resolve():
            raise UserError(f"-o {output} is one of the inputs; give the redline a name of its own")
    check_target(output, force)
    old_model, _, library = draft_model(old_file, library=library, pack_path=pack_path)
    new_model, resolved, _ = draft_model(new_file, library=library, pack_path=pack_path)
    if isinstance(old_model, Bilingual) != isinstance(new_model, Bilingual) or (
            not isinstance(new_model, Bilingual) and old_model.lang != new_model.lang):
        lang = "ja+en" if isinstance(old_model, Bilingual) else old_model.lang
        raise UserError(f"{new_file}: the language differs from {old_file} ({lang}); a redline compares two drafts "
                        "in the same language")
    first = new_model.ja if isinstance(new_model, Bilingual) else new_model
    before = old_model.ja if isinstance(old_model, Bilingual) else old_model
    if first.contract != before.contract:
        raise UserError(f"{new_file}: contract {first.contract}, but {old_file}: contract {before.contract}; "
                        "a redline compares two drafts of the same contract type")
    if author is None:
        author = party_name(resolved, first.lang) or "contractkit"
    options = WriteOptions(library.style, comments=not clean, reference=reference, draft_header=draft_header)
    write_together([(output, lambda fh: write(Redline(old_model, new_model, author), fh, options))], force)
    changes = articles(before.articles, first.articles)
    summary = {status: [c for c in changes if c.status == status] for status in (INSERTED, DELETED, MOVED_TO)}
    summary[CHANGED] = [c for c in changes if c.status == SAME and _text(c.old) != _text(c.new)]
    return summary


def _text(article: Article) -> list:
    return [article.heading] + [plain(s) for p in article.paragraphs for s in [p.segments, *p.items]]


def party_name(resolved, lang: str) -> str | None:
    """The name of the party whose side the draft takes (`perspective`), in `lang`."""
    for party in resolved.parties:
        if party["role"] == resolved.perspective:
            name = party.get("name")
            if isinstance(name, dict):
                name = name.get(lang) or next(iter(name.values()), None)
            return name if isinstance(name, str) and name.strip() else None
    return None


@dataclass
class Redline:
    """NEW with tracked changes against OLD (two `Draft`s or two `Bilingual`s), by `author`."""

    old: object
    new: object
    author: str
