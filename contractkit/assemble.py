"""From resolved answers to the structure of the draft: which articles, which variant of each,
their text rendered, numbered, with cross-references and defined terms resolved. No Word here."""
from __future__ import annotations

import re
import traceback

from .answers import Resolved
from .point_types import type_of
from .draft import (Article, Draft, Hole, Paragraph, Ref, Schedule, article_number_text,  # noqa: F401 (the model, re-exported)
                    bookmark_name, format_date, schedule_bookmark, schedule_number_text)
from .errors import BuildError
from .guidance import article_comment
from .library import Library
from .markers import LINE_BREAK, Placeholder, ref_marker, schedule_marker
from .render import render_code
from .rules import answer_context, select
from .values import snake

MARKER = re.compile("\ue000([RNPBS])\ue001([^\ue002]*)\ue002")
JOIN = {"ja": ("、", "及び"), "en": (", ", " and ")}
# How a list of two or more articles begins: English says "Articles 8, 12 and 15", each number a
# field of its own; Japanese repeats the whole number (第８条、第１２条及び第１５条)
PLURAL = {"ja": None, "en": "Articles "}
class Assembler:
    def __init__(self, library: Library, resolved: Resolved):
        self.lib, self.res = library, resolved
        self.lang = resolved.lang
        self.template = library.templates[resolved.contract]
        self.included: list[str] = []
        self.scheduled: list[str] = []      # the schedules referred to, in the order of first reference
        self.context = self._context()

    # -- context ----------------------------------------------------------------------------

    def _context(self) -> dict:
        res, lang = self.res, self.lang
        ctx = {k: _dates(_line_breaks(v), lang) for k, v in answer_context(res.values, res.contract, lang, res.bilingual).items()}
        for role in self.template.roles:
            short = role.get("short") or {}
            if lang in short:
                ctx[snake(role["id"])] = short[lang]
        parties = []
        for party in res.parties:
            ctx[snake(party["role"])] = party["short"][lang]
            parties.append({"role": party["role"], "short": party["short"][lang], **{
                key: party[key] if party[key] is not None else Placeholder(f"parties.{party['role']}.{key}")
                for key in ("name", "address", "representative")}})
        ctx["words"] = {name: text[lang] for name, text in self.template.words.items()}
        ctx.update(parties=parties, ref=self.ref, refs=self.refs, has=self.has, schedule=self.schedule)
        return ctx

    def ref(self, clause_id: str) -> str:
        return ref_marker(str(clause_id))

    def refs(self, clause_ids) -> str:
        # in the order the articles stand, whatever order the template lists them in
        ids = sorted({c for c in clause_ids if c in self.included}, key=self.included.index)
        comma, last = JOIN[self.lang]
        if len(ids) <= 1:
            return "".join(ref_marker(c) for c in ids)
        plural = PLURAL[self.lang]
        present = [ref_marker(c, bare=plural is not None) for c in ids]
        return (plural or "") + comma.join(present[:-1]) + last + present[-1]

    def has(self, clause_id: str) -> bool:
        return clause_id in self.included

    def schedule(self, point: str) -> str:
        """A live reference to the schedule holding the records of `point` (or `point.field`):
        別紙1 / Schedule 1. Its answer must be a list (test `x is string` for one line of text)."""
        decision, value = self._records(str(point))
        if not isinstance(value, list):
            raise BuildError(f"schedule('{point}'): the answer is {'one text' if isinstance(value, str) else 'not a list'}, "
                             f"so there is no schedule; guard it with {{% if {snake(str(point))} is not string %}}")
        return schedule_marker(str(point))

    def _records(self, point: str):
        point_id, _, field_id = point.partition(".")
        decision = self.lib.points.get(point_id)
        value = self.res.values.get(point_id)
        if decision is not None and field_id:
            decision = decision.field(field_id)
            value = value.get(field_id) if isinstance(value, dict) else None
        if decision is None or not type_of(decision).rows:
            raise BuildError(f"schedule('{point}'): '{point}' is not a list of records (type: records)")
        return decision, value

    # -- rendering --------------------------------------------------------------------------

    def render(self, file_or_clause, path: tuple, extra: dict | None = None) -> str:
        file = file_or_clause.file if hasattr(file_or_clause, "file") else file_or_clause
        name = f"{file}#{'.'.join(str(p) for p in path)}"
        context = self.context if not extra else {**self.context, **extra}
        try:
            return render_code(self.lib.codes[name], context, name)
        except BuildError:
            raise
        except Exception as exc:
            origin_file, first_line = self.lib.origins.get(name, (file, 1))
            lineno = next((f.lineno for f in reversed(traceback.extract_tb(exc.__traceback__)) if f.filename == name), 1)
            message = getattr(exc, "message", None) or str(exc)
            raise BuildError(f"{origin_file}:{first_line + lineno - 1}:1: {_explain(message)}") from None

    def assemble(self) -> Draft:
        lib, lang, res = self.lib, self.lang, self.res
        selection = res.selection or select(lib, res.contract, res.values, lang, res.bilingual)
        if selection.conflicts:
            from .rules import describe
            raise BuildError(f"{res.file}: the draft would contradict itself:",
                             [describe(lib, c, res.values, res.contract, lang) for c in selection.conflicts])
        clauses = selection.clauses
        self.included = selection.ids
        self.context["surviving"] = selection.surviving(lib, self.context)
        texts: dict[str, tuple[str, str]] = {}
        for clause in clauses:
            if not clause.collects_terms:
                variant = selection.variants[clause.id]
                texts[clause.id] = (variant, self.render(clause, ("variants", variant, lang)))
        terms = self._used_terms([texts[c][1] for c in self.included if c in texts])
        for clause in clauses:
            if clause.collects_terms:
                if terms:
                    texts[clause.id] = ("default", self.render(clause, ("variants", "default", lang), {"defined_terms": terms}))
                else:
                    self.included.remove(clause.id)

        numbers = {cid: i + 1 for i, cid in enumerate(self.included)}
        articles = []
        for cid in self.included:
            clause = lib.clauses[cid]
            variant, text = texts[cid]
            paragraphs = self._paragraphs(text, clause, numbers)
            if not paragraphs:
                raise BuildError(f"{clause.file}: variant '{variant}' renders no text in {lang}")
            heading = self.render(clause, ("heading", lang))
            guidance = self.render(clause, ("guidance", lang)).strip() if clause.guidance else None
            articles.append(Article(cid, variant, numbers[cid], heading, bookmark_name(cid), paragraphs,
                                    guidance, article_comment(lib, clause, self.res, guidance)))

        t = self.template
        title_text = self.render(t, ("title", lang))
        skeleton = {"title": title_text, "date": format_date(self.res.date, lang)}
        preamble = self._paragraphs(self.render(t, ("preamble", lang), skeleton), t, numbers)
        closing = self._paragraphs(self.render(t, ("closing", lang), skeleton), t, numbers)
        date_line = self._paragraphs(self.render(t, ("date_line", lang), skeleton), t, numbers) if t.date_line else []
        signatures = []
        if t.signature:
            for party in self.context["parties"]:
                signatures.append(self._paragraphs(self.render(t, ("signature", lang), {**skeleton, "party": party}), t, numbers))
        title = MARKER.sub(lambda m: " " if m.group(1) == "B" else "●" if lang == "ja" else "[●]", title_text)
        schedules = [self._schedule(point, i + 1) for i, point in enumerate(self.scheduled)]

        self._check_terms(preamble, articles, terms)
        _check_precedences(selection, articles, lib)
        draft = Draft(self.res.contract, t.kind, lang, title, preamble, articles, closing, date_line, signatures,
                      [f"{a.clause_id}:{a.variant}" for a in articles], [], self.res.sha256, schedules)
        draft.placeholders = _placeholders(draft)
        draft.term_ids = list(getattr(self, "term_ids", []))
        draft.comment_author = lib.ui["messages"]["comment_author"][lang]
        return draft

    def _schedule(self, point: str, number: int) -> Schedule:
        decision, records = self._records(point)
        lang = self.lang
        roles = {r["id"] for r in self.template.roles}
        rows = []
        for i, record in enumerate(records):
            row = []
            for column in decision.fields:
                value = record.get(column.id)
                if value is None:
                    row.append([Hole(f"{point}.{i + 1}.{column.id}")])
                elif type_of(column).single and value in roles:
                    row.append([self.context[snake(value)]])     # a party: as the text names it (甲, User)
                elif type_of(column).single:
                    label = next(o["label"][lang] for o in column.options if o["id"] == value)
                    row.append([label])
                else:
                    row.append([str(value)])
            rows.append(row)
        return Schedule(point, number, decision.schedule[lang], schedule_bookmark(point),
                        [c.label[lang] for c in decision.fields], rows)

    def _check_terms(self, preamble: list, articles: list, terms: list[dict]) -> None:
        """Every term the draft defines is used, and every 「term」 it uses is defined."""
        lang = self.lang
        texts = [("preamble", None, _plain(preamble))] + [(a.clause_id, a, _plain(a.paragraphs)) for a in articles]
        whole = "\n".join(t for _, _, t in texts)
        inline = INLINE_DEFINITION[lang]
        defined = {t["term"] for t in terms}
        problems = []
        for clause_id, article, text in texts:
            for word in inline.findall(text):
                word = next(w for w in word if w) if isinstance(word, tuple) else word
                defined.add(word)
                if whole.count(word) < 2:
                    where = article_number_text(article.number, lang) if article else "preamble"
                    shown = f"「{word}」" if lang == "ja" else f'"{word}"'
                    problems.append(f"{self._file_of(clause_id)}: {shown} is defined in {where} but never used")
        if lang == "ja":
            given = _answer_strings(self.res)
            for clause_id, article, text in texts:
                for word in QUOTED_JA.findall(text):
                    if word not in defined and "●" not in word and not any(word in g for g in given):
                        where = article_number_text(article.number, lang) if article else "preamble"
                        problems.append(f"{self._file_of(clause_id)}: 「{word}」 is used in {where} but never defined")
        if problems:
            raise BuildError(f"{len(problems)} problem(s) with defined terms:", sorted(set(problems)))

    def _file_of(self, clause_id: str) -> str:
        return self.lib.clauses[clause_id].file if clause_id in self.lib.clauses else self.template.file

    def _used_terms(self, texts: list[str]) -> list[dict]:
        lang = self.lang
        contract = self.res.contract
        words = {tid: t[lang]["term"] for tid, t in self.lib.terms.items()
                 if contract in self.lib.term_contracts.get(tid, [contract])}    # a term of other types' drafts: an ordinary word here
        found: dict[str, tuple] = {}
        pending = list(enumerate(texts))
        rendered_defs: dict[str, str] = {}
        while pending:
            index, text = pending.pop(0)
            for tid, word in words.items():
                pos = text.find(word)
                if pos >= 0 and tid not in found:
                    found[tid] = (index, pos)
                    definition = self._term_definition(tid)
                    rendered_defs[tid] = definition
                    pending.append((len(texts) + len(found), definition))
        ordered = sorted(found, key=lambda tid: found[tid])
        # a term is defined before the definitions that use it (インプット before アウトプット before 処理成果),
        # otherwise in the order of first appearance
        uses = {tid: [o for o in ordered if o != tid and words[o] in rendered_defs[tid]] for tid in ordered}
        uses = {tid: [o for o in others if tid not in uses[o]] for tid, others in uses.items()}   # two that use each other keep their order
        placed: list[str] = []
        def place(tid, seen=()):
            if tid in placed or tid in seen:
                return
            for other in uses[tid]:
                place(other, (*seen, tid))
            placed.append(tid)
        for tid in ordered:
            place(tid)
        ordered = placed
        if self.res.term_order:
            # a bilingual draft: both columns define the same terms in the same order (the other
            # column's first, then any only this language uses), so that each row is one term
            for tid in self.res.term_order:
                if tid not in rendered_defs and tid in words:
                    rendered_defs[tid] = self._term_definition(tid)
            ordered = [t for t in self.res.term_order if t in words] + [t for t in ordered if t not in self.res.term_order]
        self.term_ids = ordered
        return [{"term": words[tid], "definition": rendered_defs[tid]} for tid in ordered]

    def _term_definition(self, term_id: str) -> str:
        file, index = self.lib.term_homes[term_id]
        return self.render(file, ("terms", index, self.lang, "definition")).strip()

    def _paragraphs(self, text: str, source, numbers: dict) -> list[Paragraph]:
        paragraphs: list[Paragraph] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.startswith("- ") or line == "-":
                segments = self._segments(line[2:].strip(), source, numbers)
                if not paragraphs:
                    raise BuildError(f"{source.file}: an item ('- …') comes before any paragraph")
                paragraphs[-1].items.append(segments)
            else:
                paragraphs.append(Paragraph(self._segments(line, source, numbers)))
        return paragraphs

    def _segments(self, line: str, source, numbers: dict) -> list:
        out, pos = [], 0

        def text(piece: str) -> None:
            if out and isinstance(out[-1], str):
                out[-1] += piece
            elif piece:
                out.append(piece)

        for m in MARKER.finditer(line):
            text(line[pos:m.start()])
            kind, payload = m.groups()
            if kind == "B":             # an answer's line break: a break inside this paragraph
                text("\n")
            elif kind == "P":
                out.append(Hole(payload))
            elif kind == "S":
                if payload not in self.scheduled:
                    self.scheduled.append(payload)
                number = self.scheduled.index(payload) + 1
                out.append(Ref(f"schedule:{payload}", schedule_bookmark(payload), schedule_number_text(number, self.lang),
                               schedule=True))
            else:
                if payload not in numbers:
                    known = payload in self.lib.clauses
                    why = "which is not in this draft" if known else "which is not a clause"
                    raise BuildError(f"{source.file}: refers to '{payload}' ({{{{ ref('{payload}') }}}}), {why}; "
                                     f"guard it with has('{payload}') or include that article")
                bare = kind == "N"
                out.append(Ref(payload, bookmark_name(payload),
                               str(numbers[payload]) if bare else article_number_text(numbers[payload], self.lang), bare=bare))
            pos = m.end()
        text(line[pos:])
        return out


INLINE_DEFINITION = {
    "ja": re.compile(r"「([^「」]+)」(?:と(?:いう|いい|いいます|総称する|総称し)|とは)"),
    "en": re.compile(r'\((?:the |each, a |each a |together, the )?"([^"]+)"\)|"([^"]+)" means'),
}
QUOTED_JA = re.compile(r"「([^「」]+)」")


def _plain(paragraphs: list) -> str:
    return "\n".join("".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segs)
                     for p in paragraphs for segs in [p.segments, *p.items])


def _answer_strings(resolved) -> list[str]:
    """Text the user typed (names, descriptions): its quotes are theirs to make."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(resolved.values)
    walk(resolved.parties)
    return found


def _check_precedences(selection, articles: list, lib: Library) -> None:
    """Where one article prevails over another, the text says so: the overriding article refers
    to the one it overrides (「第５条の規定にかかわらず」), or the yielding one to the one it yields to."""
    refs = {a.clause_id: {s.target for p in a.paragraphs for segs in [p.segments, *p.items] for s in segs if isinstance(s, Ref)}
            for a in articles}
    problems = []
    for winner, loser in selection.precedences:
        if loser.clause in winner.overrides:
            speaker, other, verb = winner, loser, "overrides"
        else:
            speaker, other, verb = loser, winner, "yields to"
        if other.clause not in refs.get(speaker.clause, set()):
            problems.append(f"{speaker.file}: {verb} '{other.clause}' but its text does not say so: refer to it with "
                            f"{{{{ ref('{other.clause}') }}}} (「…の規定にかかわらず」 / \"Notwithstanding …\", or "
                            f"「…に定める場合を除き」 / \"Except as provided in …\")")
    if problems:
        raise BuildError("an article prevails over another without saying so:", sorted(set(problems)))


def _line_breaks(value):
    """An answer's line breaks (a multi-line answer) as markers, so that splitting rendered text
    into paragraphs by lines never makes them a new 項 or 号."""
    if isinstance(value, str) and "\n" in value:
        return value.replace("\n", LINE_BREAK)
    if isinstance(value, dict):
        return {k: _line_breaks(v) for k, v in value.items()}
    return value


def _dates(value, lang: str):
    """A date answer (a field of type date) as the draft writes it: 2027年4月1日 / April 1, 2027,
    as the date line does."""
    import datetime as _dt
    if isinstance(value, _dt.date):
        return format_date(value, lang)
    if isinstance(value, dict):
        return {k: _dates(v, lang) for k, v in value.items()}
    return value


def _explain(message: str) -> str:
    m = re.match(r"'(\w+)' is undefined", message)
    if m:
        return f"'{m.group(1)}' is not defined here (not a point of this contract type, or a point that does not apply with these answers)"
    return message


def _placeholders(draft: Draft) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def scan(paragraphs, where):
        for p in paragraphs:
            for seg in p.segments + [s for item in p.items for s in item]:
                if isinstance(seg, Hole) and (seg.path, where) not in found:
                    found.append((seg.path, where))

    scan(draft.preamble, "preamble")
    for a in draft.articles:
        scan(a.paragraphs, article_number_text(a.number, draft.lang))
    scan(draft.closing, "closing")
    for s in draft.signatures:
        scan(s, "signature")
    for schedule in draft.schedules:
        where = schedule_number_text(schedule.number, draft.lang)
        for row in schedule.rows:
            scan([Paragraph(cell) for cell in row], where)
    return found


def assemble(library: Library, resolved: Resolved) -> Draft:
    return Assembler(library, resolved).assemble()
