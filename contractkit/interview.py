"""The interview: walks the drafter through the decision points of a contract type, saving the
answers file after every answer, then reviews and builds. Every question, note and option comes
from the point declarations in the clause library; the words around them from
templates/interview.yaml."""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from .answers import current_values, evaluate
from .answers_file import AnswersDocument
from .describe import describe_value, key_label
from .errors import UserError
from .library import Decision, Library
from .prompts import Back, Help, is_help
from .point_types import type_of
from .values import snake

MORE = "\0more"
NONE = "\0none"   # questionary takes a choice whose value is None to mean its title


class Interview:
    def __init__(self, library: Library, doc: AnswersDocument, terminal, ui_lang: str, output: Path,
                 preset: dict | None = None):
        self.lib, self.doc, self.term, self.ui_lang, self.output = library, doc, terminal, ui_lang, Path(output)
        self.preset = {k: v for k, v in (preset or {}).items() if v is not None}
        self.pack_path = self.preset.pop("pack_path", ())
        self.history: list[tuple] = []       # the slots asked in this run, in order (for going back)
        self.reopened: set[tuple] = set()    # slots to ask again (back, or a change in the review)
        self.settled: set[tuple] = set()     # slots answered in this run
        self.round: dict | None = None       # a review change being asked
        self.shown_point: str | None = None  # the point whose progress line is on screen
        self.shown_group: str | None = None  # the group whose progress line is on screen (a template's groups)
        self.stage = None
        if self.doc.get("from"):
            from .stages import load_stage
            self.stage = load_stage(self.doc.path.parent / self.doc.get("from"), library)

    def carried(self) -> dict:
        """Answers an earlier stage (`from:`) settles for this contract type: not asked again."""
        if not self.stage:
            return {}
        from .stages import carried_answers
        return carried_answers(self.lib, self.contract, self.stage)
    # -- words ------------------------------------------------------------------------------

    def msg(self, key: str, **values) -> str:
        return self.lib.ui["messages"][key][self.ui_lang].format(**values)

    def t(self, texts: dict | None) -> str:
        return (texts or {}).get(self.ui_lang, "")

    @property
    def contract(self) -> str:
        return self.doc.get("contract")

    @property
    def template(self):
        return self.lib.templates[self.contract]

    def role_label(self, role_id: str) -> str:
        role = next((r for r in self.template.roles if r["id"] == role_id), None)
        return self.t(role["label"]) if role else role_id

    def favours_text(self, option: dict) -> str:
        favours = option.get("favours", "neutral")
        if isinstance(favours, dict):
            favours = favours.get(self.contract, "neutral")
        return self.msg("neutral") if favours == "neutral" else self.msg("favours", role=self.role_label(favours))

    # -- the whole run ----------------------------------------------------------------------
    #
    # Every question is a slot: ("contract",), ("usecase",), ("language",), ("perspective",),
    # ("date",), ("party", role, field), ("point", id), ("field", id, field) of a mapping and
    # ("role", id, role) of a per-role point. The next question is the first slot, in that order,
    # that is not answered yet or was reopened (by going back, or from the review). Going back
    # reopens the slot asked before, so its answer stays in the file and is the default.

    def run(self) -> int:
        self.term.words = {k: self.msg(k) for k in TERMINAL_WORDS}
        self.term.say(self.msg("intro", file=self.doc.path))
        self.apply_presets()
        self.ask_until_done()
        return self.review()

    def apply_presets(self) -> None:
        if "contract" in self.preset and self.doc.get("contract") not in (None, self.preset["contract"]):
            raise UserError(f"{self.doc.path}: is a {self.doc.get('contract')} answers file, not {self.preset['contract']}")
        if self.doc.get("contract") is None and self.preset.get("contract"):
            self.doc.set("contract", self.preset["contract"])
        if "usecase" in self.preset and "usecase" not in self.doc.data:
            self.doc.set("usecase", self.preset["usecase"])
        if self.doc.get("language") is None and self.preset.get("lang") and not (self.stage and "language" in self.stage):
            self.doc.set("language", self.preset["lang"])
        self.load_pack()

    def load_pack(self) -> None:
        """The library with the answers file's pack (or without any, when it names none)."""
        from .library import load_library
        usecase = self.doc.get("usecase")
        if usecase and usecase not in self.lib.packs:
            from .packs import find_pack
            self.lib = load_library(packs=[find_pack(usecase, self.pack_path)])
        elif not usecase and self.lib.packs:
            self.lib = load_library()

    def ask_until_done(self, floor: int = 0) -> None:
        """Ask every open slot. Back at the first question (of a review change: `floor`) raises Back."""
        while True:
            slot = self.next_slot()
            if slot is None:
                return
            try:
                self.ask_slot(slot)
            except Back:
                if len(self.history) > floor:
                    self.reopened.add(self.history.pop())
                elif floor:
                    raise
                else:   # nothing asked yet in this run (a resumed one): the question before in the file
                    earlier = self.slot_before(slot)
                    if earlier is not None:
                        self.reopened.add(earlier)
                continue
            self.reopened.discard(slot)
            self.settled.add(slot)
            self.history.append(slot)

    # -- which question is next -------------------------------------------------------------

    def setup_slots(self, review: bool = False) -> list[tuple]:
        slots = [("contract",)]
        if self.contract is None:
            return slots
        # the packs are looked for only when the pack question may be asked (or changed in the review)
        asked = review or ("usecase",) in self.reopened or not self.is_answered(("usecase",))
        if "usecase" in self.doc.data or (asked and self.pack_choices()):
            slots.append(("usecase",))
        if not (self.stage and "language" in self.stage):
            slots.append(("language",))
        if not (self.stage and "perspective" in self.stage):
            slots.append(("perspective",))
        slots.append(("date",))
        return slots

    def party_slots(self) -> list[tuple]:
        if self.stage and "parties" in self.stage and not self.doc.get("parties"):
            return []  # the parties of the earlier stage
        return [("party", role["id"], field) for role in self.template.roles if role.get("signs", True)
                for field in ("name", "address", "representative")]

    def is_answered(self, slot: tuple) -> bool:
        kind = slot[0]
        data = self.doc.data
        if kind == "contract":
            return data.get("contract") is not None
        if kind == "usecase":
            # "no pack" is not written down: it is settled once asked, or once the file goes further
            return ("usecase" in data or slot in self.settled
                    or any(k in data for k in ("perspective", "date", "parties", "answers")))
        if kind == "language":
            return data.get("language") is not None
        if kind in ("perspective", "date"):
            return kind in data
        if kind == "party":
            party = self.doc.party(slot[1])
            return party is not None and slot[2] in party and self.text_done(party[slot[2]], nullable=True,
                                                                              latin=slot[2] == "name")
        answered = self.answered()
        point = self.lib.points.get(slot[1])
        if kind == "point":
            return slot[1] in answered and (point is None or self.value_done(point, answered[slot[1]]))
        value = answered.get(slot[1])
        if not (isinstance(value, dict) and slot[2] in value):
            return False
        if kind == "role":
            return self.text_done(value[slot[2]], nullable=True)
        f = point.field(slot[2]) if point is not None else None
        return f is None or self.value_done(f, value[slot[2]])

    # -- texts in the draft's languages, and lists of records ---------------------------------

    @property
    def bilingual(self) -> bool:
        language = self.doc.get("language") or (self.stage or {}).get("language")
        return language == "ja+en"

    def text_langs(self) -> tuple:
        """The languages a free text is asked in: both in a ja+en draft, else the draft's own."""
        return ("ja", "en") if self.bilingual else (self.lang,)

    def text_done(self, value, nullable: bool, translate: bool = False, latin: bool = False) -> bool:
        """Whether a text answer is complete for the draft's languages: a ja+en draft needs
        {ja: …, en: …}, or, where one text in Latin letters may serve both columns (`latin`: a
        name, a schedule's cell such as CSV; never a court, a law or a seat: `translate`), a plain
        text without Japanese; a plain text is otherwise asked again, in both languages. One
        language needs its text."""
        from .schema import JAPANESE

        if value is None:
            return nullable
        langs = self.text_langs()
        if isinstance(value, dict):
            return all(isinstance(value.get(x), str) and value[x].strip() for x in langs)
        return isinstance(value, str) and bool(value.strip()) and (
            len(langs) == 1 or latin and not translate and not JAPANESE.search(value))

    def value_done(self, decision: Decision, value) -> bool:
        """Whether an answer (or field) needs asking again: a text not in every language of the
        draft, a list of records that is empty or has a row not entered to its end."""
        return type_of(decision).done(self, decision, value)

    def row_done(self, decision: Decision, row) -> bool:
        """A row is complete when every column has been answered (null: not known yet)."""
        if not isinstance(row, dict):
            return False
        for f in decision.fields:
            if f.id not in row:
                return False
            if not type_of(f).done(self, f, row[f.id], column=True):
                return False
        return True

    def sub_slots(self, point: Decision) -> list[tuple]:
        """The slots a point is asked in, as its type says: the point, each role, or each field."""
        return type_of(point).slots(self, point)

    def field_slots(self, point: Decision) -> list[tuple]:
        """The field slots of a mapping: those that apply, given the fields answered."""
        given = self.answered().get(point.id)
        given = given if isinstance(given, dict) else {}
        out = []
        others = self.context(self.values())
        for index, f in enumerate(point.fields):
            if not f.ask:
                continue   # a field written in the answers file only (a list of records: fee.breakdown)
            if f.when and not evaluate(self.lib, point, ("fields", index, "when"), {**others, **plain_dict(given)}, unknown=True):
                continue
            out.append(("field", point.id, f.id))
        return out

    def point_open(self, point: Decision) -> bool:
        return any(s in self.reopened or not self.is_answered(s) for s in self.sub_slots(point))

    def slot_before(self, slot: tuple) -> tuple | None:
        """The answered question that comes before `slot` in the interview's order."""
        order = self.setup_slots() + (self.party_slots() if self.contract else [])
        if self.contract is not None:
            values = self.values()
            order += [s for p in self.points_in_order() if self.applies(p, values) for s in self.sub_slots(p)]
        if slot not in order:
            return None
        return next((s for s in reversed(order[:order.index(slot)]) if self.is_answered(s)), None)

    def next_slot(self) -> tuple | None:
        for slot in self.setup_slots() + (self.party_slots() if self.contract else []):
            if slot in self.reopened or not self.is_answered(slot):
                return slot
        if self.contract is None:
            return None
        values = self.values()
        for point in self.points_in_order():
            applies = self.applies(point, values)
            if not applies:
                continue
            for slot in self.sub_slots(point):
                if slot in self.reopened or not self.is_answered(slot):
                    return slot
        return None

    # -- asking one slot --------------------------------------------------------------------

    def ask_slot(self, slot: tuple) -> None:
        kind = slot[0]
        if kind == "contract":
            choices = [(f"{self.t(t.name or t.title)} — {self.t(t.description)}" if t.description else self.t(t.name or t.title), cid, None)
                       for cid, t in self.lib.templates.items()]
            self.doc.set("contract", self.term.select(self.msg("contract"), choices, default=self.contract))
            self.prune()
        elif kind == "usecase":
            # "none" comes first: pressing Enter must not opt the deal into an industry's defaults
            choice = self.term.select(self.msg("usecase"), [(self.msg("usecase_none"), NONE, None)] + self.pack_choices(),
                                      default=self.doc.get("usecase") or NONE)
            if choice == NONE:
                if "usecase" in self.doc.data:
                    del self.doc.data["usecase"]
                    self.doc.save()
            else:
                self.doc.set("usecase", choice)
            self.load_pack()
            self.prune()
        elif kind == "language":
            language = self.term.select(self.msg("language"), [
                (self.msg("language_ja"), "ja", None), (self.msg("language_en"), "en", None),
                (self.msg("language_both"), "ja+en", None)], default=self.doc.get("language") or self.ui_lang)
            self.doc.set("language", language)
        elif kind == "perspective":
            choices = [(self.t(r["label"]), r["id"], None) for r in self.template.roles if r.get("signs", True)]
            choices.append((self.msg("perspective_none"), NONE, None))
            current = (self.doc.get("perspective") or NONE) if "perspective" in self.doc.data else None
            chosen = self.term.select(self.msg("perspective"), choices, default=current)
            self.doc.set("perspective", None if chosen == NONE else chosen)
        elif kind == "date":
            self.doc.set("date", self.ask_date(self.doc.get("date")))
        elif kind == "party":
            role = next(r for r in self.template.roles if r["id"] == slot[1])
            party = self.doc.party(slot[1]) or {}
            answer = self.ask_text(self.msg(f"party_{slot[2]}", role=self.t(role["label"])), party.get(slot[2]),
                                   nullable=True, instruction=self.msg("unknown_hint"), explains=False,
                                   latin=slot[2] == "name")
            self.doc.set_party(slot[1], slot[2], answer)
        else:
            self.ask_point_slot(slot)

    def pack_choices(self) -> list[tuple]:
        """The packs offered for this contract type (a pack that does not validate is not offered)."""
        cache = self.__dict__.setdefault("_pack_choices", {})
        if self.contract not in cache:
            from .library import load_library
            from .packs import find_packs
            choices = []
            for pack_id, folder in find_packs(self.pack_path).items():
                try:
                    pack = load_library(packs=[folder]).packs[pack_id]
                except UserError:
                    continue
                if self.contract in pack["contracts"]:
                    choices.append((self.t(pack["title"]), pack_id, self.t(pack["description"]) or None))
            cache[self.contract] = choices
        return cache[self.contract]

    def prune(self) -> None:
        """After a change of contract type or pack: drop what the new one does not have."""
        if self.contract is None:
            return
        usecase = self.doc.get("usecase")
        if usecase and usecase in self.lib.packs and self.contract not in self.lib.packs[usecase]["contracts"]:
            del self.doc.data["usecase"]      # the pack is not for this contract type
            self.doc.save()
            self.load_pack()
        points = {p.id for p in self.lib.points_for(self.contract)}
        for pid in [k for k in self.doc.answers if k not in points]:
            self.doc.drop_answer(pid)
        roles = {r["id"] for r in self.template.roles}
        parties = self.doc.data.get("parties")
        if isinstance(parties, list) and any(isinstance(p, dict) and p.get("role") not in roles for p in parties):
            parties[:] = [p for p in parties if isinstance(p, dict) and p.get("role") in roles]
            self.doc.save()
        if self.doc.get("perspective") and self.doc.get("perspective") not in roles:
            del self.doc.data["perspective"]
            self.doc.save()
        self.drop_inapplicable()

    def ask_date(self, current=None):
        def valid(text):
            if not text.strip():
                return True
            try:
                _dt.date.fromisoformat(_ascii_date(text))
                return True
            except ValueError:
                return self.msg("bad_date")
        text = self.term.text(self.msg("date"), default="" if current is None else str(current), validate=valid)
        return _dt.date.fromisoformat(_ascii_date(text)) if text.strip() else None

    def ask_parties(self) -> None:
        """Every party field not answered yet (kept for callers that ask the parties alone)."""
        for slot in self.party_slots():
            if not self.is_answered(slot):
                self.ask_slot(slot)

    # -- points -----------------------------------------------------------------------------

    def points_in_order(self) -> list[Decision]:
        return self.lib.points_in_order(self.contract)

    @property
    def lang(self) -> str:
        language = self.doc.get("language") or (self.stage or {}).get("language") or self.ui_lang
        return "ja" if language == "ja+en" else language

    def answered(self) -> dict:
        return {**self.carried(), **dict(self.doc.answers)}

    def values(self) -> dict:
        bilingual = (self.doc.get("language") or (self.stage or {}).get("language")) == "ja+en"
        return current_values(self.lib, self.contract, self.lang, self.answered(), [r["id"] for r in self.template.roles],
                              self.perspective, bilingual)

    @property
    def perspective(self) -> str | None:
        return self.doc.get("perspective") or (self.stage or {}).get("perspective")

    def applies(self, point: Decision, values: dict):
        """True, False, or None when it depends on a point not answered yet."""
        if not point.when:
            return True
        return evaluate(self.lib, point, ("when",), self.context(values), unknown=None)

    def context(self, values: dict) -> dict:
        """What a condition reads, as the build gives it: the answers, `contract` and `bilingual`
        (the governing-language question is asked in a ja+en draft only)."""
        return {**{snake(k): v for k, v in values.items()}, "contract": self.contract, "bilingual": self.bilingual}

    def pending(self) -> tuple[list[Decision], list[Decision]]:
        """(the points that apply now, those of them still to ask)."""
        values = self.values()
        active = [p for p in self.points_in_order() if self.applies(p, values) is not False]
        answered = self.answered()
        return active, [p for p in active if p.id not in answered and self.applies(p, values)]

    def progress(self, point: Decision) -> tuple[int, int]:
        """(this question's number, how many there are): one more for every question asked; in a
        review change, counted over the questions that change asks."""
        values = self.values()
        active = [p for p in self.points_in_order() if p.id == point.id or self.applies(p, values)]
        if self.round is not None:
            asked = self.round["asked"]
            still = [p.id for p in active if p.id not in asked and (p.id == point.id or self.point_open(p))]
            return len(asked) + 1, len(asked) + len(still)
        done = [p for p in active if p.id != point.id and not self.point_open(p)]
        return len(done) + 1, len(active)

    def group_progress(self, point: Decision) -> tuple[dict, int, int]:
        """(the point's group, its number, how many groups there are), counting only the groups
        with a question to ask with the answers so far (an earlier stage's answers are not asked)."""
        values = self.values()
        carried = self.carried()
        counted, home = [], None
        for group, points in self.lib.interview_groups(self.contract):
            if any(p.id == point.id or (p.id not in carried and self.applies(p, values) is not False) for p in points):
                counted.append(group["id"])
            if any(p.id == point.id for p in points):
                home = group
        return home, counted.index(home["id"]) + 1, len(counted)

    def ask_point_slot(self, slot: tuple) -> None:
        point = self.lib.points[slot[1]]
        if self.shown_point != point.id:
            self.term.say("")
            if self.template.groups:      # the template's groups: a line as each group starts
                group, number, total = self.group_progress(point)
                if group["id"] != self.shown_group:
                    label = self.t(group["label"]) or self.msg("group_rest")
                    self.term.say(self.msg("group_progress", number=number, total=total, group=label))
                    self.shown_group = group["id"]
            else:
                number, total = self.progress(point)
                theme = self.t(self.lib.ui["themes"].get(point.theme))
                self.term.say(self.msg("progress", number=number, total=total, theme=theme))
            if point.note:
                self.term.say(self.t(point.note))
            self.shown_point = point.id
        before = {w["id"] for w in self.current_warnings()}
        order = [p.id for p in self.points_in_order()]
        message = self.t(point.question) or self.t(point.label) or point.id
        current = self.values().get(point.id)
        if slot[0] == "field":
            f = point.field(slot[2])
            if f.note:
                self.term.say(self.t(f.note))
            given = self.answered().get(point.id)
            field_current = (current or {}).get(f.id)
            if not (isinstance(given, dict) and f.id in given):
                field_current = self.text_default(f, field_current)
            value = self.ask_decision(f, self.t(f.label) or self.t(f.question) or f.id, field_current,
                                      save=lambda rows: self.doc.set_field(point.id, f.id, rows, order))
            self.doc.set_field(point.id, f.id, value, order)
        elif slot[0] == "role":
            role = next(r for r in self.template.roles if r["id"] == slot[2])
            answer = self.ask_text(f"{message} — {self.t(role['label'])}", (current or {}).get(role["id"]),
                                   nullable=True, instruction=self.msg("unknown_hint"), explains=False)
            self.doc.set_field(point.id, role["id"], answer, order)
        else:
            if point.id not in self.answered():
                current = self.text_default(point, current)
            value = self.ask_decision(point, message, current, save=lambda rows: self.doc.set_answer(point.id, rows, order))
            self.doc.set_answer(point.id, value, order)
        if self.round is not None:
            self.round["asked"].add(point.id)
        if not self.point_open(point) or slot[0] == "point":
            for warning in self.current_warnings():
                if warning["id"] not in before or (warning["point"] or "").split(".")[0] == point.id:
                    self.term.say(f"{self.msg('warning')}: {self.t(warning['text'])}")
        self.drop_inapplicable()

    def ask_decision(self, decision: Decision, message: str, current, save=None):
        """The answer to a point or field; `save(rows)` keeps a list of records in the file row by
        row, field by field, while it is entered."""
        while True:
            try:
                answer = type_of(decision).ask(self, decision, message, current, save)
            except Help as more:
                answer = MORE
                if more.current is not None:
                    current = more.current
            if answer == MORE:
                self.explain(decision)
                continue
            return answer

    def explain(self, decision: Decision) -> None:
        if decision.more:
            self.term.say(self.t(decision.more))
        for option in decision.options:
            if option.get("note"):
                self.term.say(f"{self.msg('bullet')}{self.t(option['label'])}{self.msg('marks', marks=self.favours_text(option))}: "
                              f"{self.t(option['note'])}")
            if option.get("warn"):
                self.term.say(f"  {self.msg('warning')}: {self.t(option['warn'])}")

    def ruled_out(self, decision: Decision) -> dict[str, str]:
        """The options the answers given so far rule out, with the reason: the option's own `when`,
        or articles that would contradict an article an answered point chose (a contradiction
        with a point still to be asked is left to that question)."""
        from .answers import _option_holds
        from .errors import BuildError
        from .rules import describe, select

        values = self.values()
        context = {**{snake(k): v for k, v in values.items()}, "contract": self.contract,
                   "bilingual": self.doc.get("language") == "ja+en"}
        out = {}
        offered = decision.option_ids(self.contract)
        for index, option in enumerate(decision.options):
            if option["id"] not in offered or not option.get("when"):
                continue
            try:
                if not _option_holds(self.lib, decision, index, context):
                    out[option["id"]] = option["why"][self.ui_lang]
            except BuildError:
                pass    # it reads an answer still to be given (a fee not asked yet): offered, the build decides
        owner = next((p for p in self.lib.points_for(self.contract) if decision is p or decision in p.fields), None)
        trials = type_of(decision).trials(decision, self.contract)
        if owner is None or type_of(owner).rows or not trials:
            return out
        answered = set(self.answered())
        here = {p.id for p in self.lib.points_for(self.contract)}   # a condition may read a point other types ask
        for option_id in trials:
            if option_id in out:
                continue
            trial = dict(values)
            trial[owner.id] = option_id if decision is owner else {**(values.get(owner.id) or {}), decision.id: option_id}
            try:
                selection = select(self.lib, self.contract, trial, self.lang)
            except BuildError:
                continue   # a combination the build itself reports
            for conflict in selection.conflicts:
                deciders = {d.partition(".")[0] for d in conflict.deciders} & here
                if owner.id in deciders and deciders - {owner.id} <= answered:
                    out[option_id] = describe(self.lib, conflict, trial, self.contract, self.lang)
                    break
        return out

    def _option_choices(self, decision: Decision):
        """The options offered for a decision, as (title, value, description): the one place that
        builds an option list. Options that the earlier answers rule out are not offered (unless
        every option is: then the build explains)."""
        default = _default_of(decision, self.contract)
        ruled_out = self.ruled_out(decision)
        if set(decision.option_ids(self.contract)) <= set(ruled_out):
            ruled_out = {}
        for option in decision.options:
            if option.get("contracts") and self.contract not in option["contracts"]:
                continue
            if option["id"] in ruled_out:
                continue
            marks = [self.favours_text(option)]
            if option["id"] == default or (isinstance(default, list) and option["id"] in default):
                marks.append(self.msg("usual"))
            marks_text = self.msg("marks", marks=self.msg("marks_joiner").join(marks))
            title = f"{'⚠ ' if option.get('warn') else ''}{self.t(option['label'])}{marks_text}"
            yield title, option["id"], self.t(option.get("note")) or None

    def _ask_yes_no(self, decision, message, current):
        choices = [(self.msg("yes"), True, None), (self.msg("no"), False, None)]
        ruled_out = self.ruled_out(decision)   # e.g. no credit of the fees in a free proof of concept
        kept = [c for c in choices if c[1] not in ruled_out] or choices
        offered = [c[1] for c in kept]
        default = current if current in offered else True if True in offered else offered[0]
        return self.term.select(message, kept + [(self.msg("more"), MORE, None)], default=default, help_value=MORE)

    def _ask_multi(self, decision, message, current):
        chosen = current or []
        return self.term.checkbox(message, [(t, v, d, v in chosen) for t, v, d in self._option_choices(decision)])

    def _ask_choice(self, decision, message, current):
        choices = list(self._option_choices(decision))
        return self.term.select(message, choices + [(self.msg("more"), MORE, None)], default=current, help_value=MORE)

    def _ask_choice_map(self, decision, message, current):
        choices = list(self._option_choices(decision))
        per_key = "\0per-key"
        default = current if isinstance(current, str) else per_key if isinstance(current, dict) else None
        answer = self.term.select(message, choices + [(self.msg("per_key"), per_key, None), (self.msg("more"), MORE, None)],
                                  default=default, help_value=MORE)
        if answer != per_key:
            return answer
        keys = self._relevant_keys(decision)
        out = {}
        index = 0
        while index < len(keys):   # back from the first key: the question itself again
            key = keys[index]
            key_default = out.get(key, current.get(key) if isinstance(current, dict) else None)
            try:
                out[key] = self.term.select(f"{message} — {self._key_label(key)}", choices, default=key_default)
            except Back:
                if index == 0:
                    return self._ask_choice_map(decision, message, {**(current if isinstance(current, dict) else {}), **out})
                index -= 1
                continue
            index += 1
        return out

    def _relevant_keys(self, decision) -> list[str]:
        values = self.values()
        for value in values.values():
            if isinstance(value, dict):
                for v in value.values():
                    if isinstance(v, list) and v and set(v) <= set(decision.keys):
                        return [k for k in decision.keys if k in v]
        return list(decision.keys)

    def _key_label(self, key: str) -> str:
        return key_label(self.lib, key, self.ui_lang)

    def _typed_hint(self, decision) -> str:
        return self.msg("more_hint") + (self.msg("hint_joiner") + self.msg("unknown_hint") if decision.nullable else "")

    def ask_text(self, message: str, current, nullable: bool, instruction: str | None = None, explains: bool = True,
                 translate: bool = False, latin: bool = False, check=None):
        """A free text in the draft's language, or in a ja+en draft its Japanese and then its
        English text, written {ja: …, en: …}; the same text without Japanese in both is kept as one
        text, unless the two languages write it differently (`translate`: a court, a law, a seat).
        A blank text is not an answer: asked again, unless `nullable` (then empty means "not known
        yet", null; not while the other language has a text). `?` raises Help (when `explains`),
        keeping what was typed; Esc at the English text goes back to the Japanese one. `check(text,
        lang)` (the point type's check of its `form:`) refuses a text at the prompt as the answers
        file would, and gives the text as the draft takes it (money with its unit)."""
        from .schema import JAPANESE

        langs = self.text_langs()
        given = {}
        if isinstance(current, dict):
            given = {k: v for k, v in current.items() if isinstance(v, str)}
        elif isinstance(current, str):
            is_latin = not JAPANESE.search(current)
            # a Latin text serves both columns (Acme Corp., CSV) unless the languages differ (a court)
            given = {x: current for x in langs
                     if len(langs) == 1 or (x == "en" if is_latin else x == "ja") or is_latin and latin and not translate}
        typed: dict = {}
        index = 0
        while index < len(langs):
            lang = langs[index]
            first = index == 0

            def valid(text, lang=lang, first=first):
                if explains and is_help(text):
                    return True
                text = text.strip()
                if not text:
                    if first and nullable and not (translate and given.get("en")):
                        return True
                    return self.msg("required_en") if not first else \
                        self.msg("required_ja") if len(langs) > 1 and given.get("en") else self.msg("required")
                if len(langs) > 1 and lang == "en" and JAPANESE.search(text):
                    return self.msg("japanese_in_en")
                if check is not None:
                    error = check(text, lang)[1]
                    if error is not None:
                        return self.msg(error[0], **error[1]) if isinstance(error, tuple) else error
                return True

            shown = self.msg(f"in_{lang}") if len(langs) > 1 else ""
            try:
                text = self.term.text(message + shown, default=typed.get(lang, given.get(lang, "")), validate=valid,
                                      instruction=instruction).strip()
            except Back:
                if first:
                    raise
                index -= 1
                continue
            if explains and is_help(text):
                raise Help({**given, **typed} or None)
            if not text:        # not known yet
                return None
            typed[lang] = check(text, lang)[0] if check is not None else text
            index += 1
        if len(langs) > 1:
            if latin and typed["ja"] == typed["en"] and not translate and not JAPANESE.search(typed["en"]):
                return typed["en"]          # one Latin text for both columns, as the file may write it
            return {"ja": typed["ja"], "en": typed["en"]}
        if isinstance(current, dict):
            return {**{k: v for k, v in current.items()}, langs[0]: typed[langs[0]]}
        return typed[langs[0]]

    def text_default(self, decision: Decision, current):
        """In a ja+en draft, a text default given per language ({ja: 東京都, en: "Tokyo, Japan"})
        offers each language its own text; otherwise the default as the values have it."""
        if not self.bilingual or not type_of(decision).text_default:
            return current
        default = decision.defaults.get(self.contract, decision.default) if decision.has_default or decision.defaults else None
        return dict(default) if isinstance(default, dict) and set(default) == {"ja", "en"} else current

    def _ask_per_role(self, decision, message, current) -> dict:
        """A text per party (a field of a mapping: each party's contribution), role by role; Esc
        goes back a role (from the first: Back). Empty: not known yet (●)."""
        current = current if isinstance(current, dict) else {}
        out: dict = {}
        roles = self.template.roles
        index = 0
        while index < len(roles):
            role = roles[index]
            try:
                out[role["id"]] = self.ask_text(f"{message} — {self.t(role['label'])}", out.get(role["id"], current.get(role["id"])),
                                                nullable=True, instruction=self._typed_hint(decision) + self.msg("hint_joiner")
                                                + self.msg("unknown_hint"))
            except Back:
                if index == 0:
                    raise
                index -= 1
                continue
            index += 1
        return out

    # -- a list of records: a schedule's rows -----------------------------------------------

    def _ask_records(self, decision, message, current, save):
        """One line of text (the article carries it) or a list, entered row by row: each field as
        its type says, then a list of the rows to add another, change or remove one, or end it.
        Every field is saved as it is given (`save`); the list is never ended empty."""
        schedule = self.t(decision.schedule) or message
        as_list, as_text, leave_out = "\0list", "\0text", NONE
        choices = [(self.msg("records_list", schedule=schedule), as_list, None),
                   (self.msg("records_text"), as_text, None)]
        if decision.nullable:
            choices.append((self.msg("records_none"), leave_out, None))
        choices.append((self.msg("more"), MORE, None))
        # the guideline recommends itemising (a list); a point that may be left out is left out by default
        default = as_list if isinstance(current, list) else as_text if current is not None else \
            leave_out if decision.nullable else as_list
        while True:
            how = self.term.select(message, choices, default=default, help_value=MORE)
            if how == MORE:
                return MORE
            if how == leave_out:
                return None
            if how == as_text:
                try:
                    return self.ask_text(message, None if isinstance(current, list) else current,
                                         nullable=decision.nullable, instruction=self._typed_hint(decision),
                                         translate=decision.translate)
                except Back:
                    default = as_text
                    continue
            rows = [dict(r) for r in current if isinstance(r, dict)] if isinstance(current, list) else []
            try:
                return self._ask_rows(decision, schedule, rows, save)
            except Back:
                default = as_list
                continue

    def _ask_rows(self, decision, schedule, rows: list, save):
        for index, row in enumerate(rows):      # a row left half-entered (Ctrl-C): its fields first
            if not self.row_done(decision, row):
                try:
                    self._ask_row(decision, schedule, rows, index, save, resume=True)
                except Back:
                    pass
        done, add = "\0done", "\0add"
        while True:
            if not rows:                          # never ended empty: the first row straight away
                rows.append({})
                try:
                    self._ask_row(decision, schedule, rows, 0, save)
                except Back:
                    rows.clear()
                    raise
                continue
            choices = [(self.msg("records_done", count=len(rows)), done, None), (self.msg("records_add"), add, None)]
            choices += [(self.msg("records_row", number=i + 1, words=self.row_words(decision, row)), i, None)
                        for i, row in enumerate(rows)]
            choice = self.term.select(self.msg("records_menu", schedule=schedule, count=len(rows)), choices, default=done)
            if choice == done:
                if all(self.row_done(decision, row) for row in rows):
                    return rows
                index = next(i for i, row in enumerate(rows) if not self.row_done(decision, row))
            elif choice == add:
                rows.append({})
                index = len(rows) - 1
            else:
                index = choice
                try:
                    action = self.term.select(self.msg("records_row", number=index + 1, words=self.row_words(decision, rows[index])),
                                              [(self.msg("records_change"), "change", None),
                                               (self.msg("records_remove"), "remove", None),
                                               (self.msg("records_keep"), "keep", None)], default="change")
                except Back:          # Esc: the row stays as it is
                    continue
                if action == "keep":
                    continue
                if action == "remove":
                    del rows[index]
                    save([dict(r) for r in rows])
                    self.term.say(self.msg("records_removed", number=index + 1))
                    continue
            try:
                self._ask_row(decision, schedule, rows, index, save)
            except Back:
                if not rows[index]:           # a new row left before its first field: not added
                    del rows[index]

    def _ask_row(self, decision, schedule, rows: list, index: int, save, resume: bool = False) -> None:
        """The fields of one row, in order, each saved at once; Esc goes back a field (from the
        first: Back). A field given before is its default; `resume`: from the first field missing."""
        row = rows[index]
        position = 0
        if resume:
            position = next((i for i, f in enumerate(decision.fields)
                             if f.id not in row or not type_of(f).done(self, f, row[f.id], column=True)), 0)
        while position < len(decision.fields):
            f = decision.fields[position]
            label = self.msg("records_field", schedule=schedule, number=index + 1, label=self.t(f.label) or f.id)
            try:
                while True:
                    try:
                        value = type_of(f).ask(self, f, label, row.get(f.id), None, column=True)
                    except Help:
                        value = MORE
                    if value != MORE:
                        break
                    self.explain(f if (f.more or any(o.get("note") for o in f.options)) else decision)
            except Back:
                if position == 0:
                    raise
                position -= 1
                continue
            row[f.id] = value
            save([dict(r) for r in rows])
            position += 1

    def row_words(self, decision, row: dict) -> str:
        unknown = self.msg("unknown_value")
        return self.msg("field_joiner").join(
            describe_value(self.lib, self.contract, f, row[f.id], self.ui_lang) if f.id in row else unknown
            for f in decision.fields)

    def _ask_typed(self, decision, message, current):
        """A whole number or a date (free texts: ask_text)."""
        instruction = self._typed_hint(decision)

        def valid(text):
            if is_help(text):
                return True
            text = text.strip()
            if not text:
                return True if decision.nullable else self.msg("required")
            return self._typed_error(decision, text, self.ui_lang) or True

        shown = "" if current is None else str(current)
        text = self.term.text(message, default=shown, validate=valid, instruction=instruction).strip()
        if is_help(text):
            return MORE
        if not text:
            return None
        return type_of(decision).check_typed(decision, text, self.ui_lang)[0]

    def _typed_error(self, decision, text: str, lang: str | None) -> str | None:
        """What is wrong with a value typed at the prompt, in the interface's language (the point
        type checks it as the answers file would), or None."""
        _, error = type_of(decision).check_typed(decision, text, lang)
        if error is None:
            return None
        if isinstance(error, tuple):
            return self.msg(error[0], **error[1])
        return error

    def drop_inapplicable(self) -> None:
        values = self.values()
        for point in self.points_in_order():
            if point.id in self.doc.answers and self.applies(point, values) is False:
                self.doc.drop_answer(point.id)

    def current_warnings(self) -> list[dict]:
        from .answers import warnings_for
        return warnings_for(self.lib, self.contract, self.values(), explicit=set(self.answered()))

    # -- review and build -------------------------------------------------------------------

    def describe(self, decision: Decision, value) -> str:
        return describe_value(self.lib, self.contract, decision, value, self.ui_lang)

    def gives_ground(self, point: Decision, value) -> bool:
        """Whether the answer favours the other side, from the drafter's side (as the memo says)."""
        from .guidance import gives_ground
        return gives_ground(point, value, self.contract, self.perspective)

    def review_entries(self) -> list[tuple[str, str, list[tuple]]]:
        """(label, the answer in words, the slots a change reopens) for everything the review lists."""
        entries = []
        unknown = self.msg("unknown_value")
        template = self.template
        entries.append((self.msg("contract"), self.t(template.name or template.title), [("contract",)]))
        setup = self.setup_slots(review=True)
        if ("usecase",) in setup:
            usecase = self.doc.get("usecase")
            title = self.t(self.lib.packs[usecase]["title"]) if usecase in self.lib.packs else usecase or self.msg("usecase_none")
            entries.append((self.msg("usecase"), title, [("usecase",)]))
        if ("language",) in setup:
            language = self.doc.get("language")
            words = {"ja": "language_ja", "en": "language_en", "ja+en": "language_both"}
            entries.append((self.msg("language"), self.msg(words[language]) if language in words else str(language), [("language",)]))
        if ("perspective",) in setup:
            side = self.doc.get("perspective")
            entries.append((self.msg("perspective"), self.role_label(side) if side else self.msg("perspective_none"),
                            [("perspective",)]))
        entries.append((self.msg("date"), str(self.doc.get("date") or unknown), [("date",)]))
        parties = self.party_slots()
        for role in template.roles:
            slots = [s for s in parties if s[1] == role["id"]]
            if slots:
                party = self.doc.party(role["id"]) or {}
                words = self.msg("field_joiner").join(_in_lang(party.get(s[2]), self.ui_lang) or unknown for s in slots)
                entries.append((self.t(role["label"]), words, slots))
        values = self.values()
        for point in self.points_in_order():
            if self.applies(point, values):
                label = self.t(point.question) or point.id
                flag = f"  ⚠ {self.msg('memo_gives_ground')}" if self.gives_ground(point, values.get(point.id)) else ""
                slots = self.sub_slots(point)
                entries.append((label, self.describe(point, values.get(point.id)) + flag, slots))
        return entries

    def review(self) -> int:
        """Every answer, one line each in a list that scrolls: choose one to change it (only the
        questions that depend on it are asked again), or generate the draft."""
        while True:
            self.term.say("")
            self.term.say(f"== {self.msg('review')} ==")
            entries = self.review_entries()
            warnings = self.current_warnings()
            footer = None
            if warnings:
                footer = "\n".join([f"{self.msg('review_warnings')}:"]
                                   + [f"  {self.msg('warning')}: {self.t(w['text'])}" for w in warnings])
            choices = [(self.msg("review_generate"), "\0generate", None)]
            choices += [(f"{label}{self.msg('colon')}{words}", index, None) for index, (label, words, _s) in enumerate(entries)]
            choices.append((self.msg("review_quit"), "\0quit", None))
            try:
                choice = self.term.select(self.msg("review"), choices, footer=footer,
                                          instruction=self.msg("keys_review"))
            except Back:
                if self.history:          # Esc at the review: the last question again
                    self.reopened.add(self.history.pop())
                    self.ask_until_done()
                continue
            if choice == "\0generate":
                try:
                    return self.generate()
                except Back:          # Esc at "overwrite?": the review again
                    continue
            if choice == "\0quit":
                self.term.say(self.msg("saved", file=self.doc.path))
                if self.doc.settings_line():
                    self.term.say(self.msg("resume_keeps", options=self.doc.settings_line().split(":", 1)[1].strip()))
                return 0
            slots = entries[choice][2]
            self.round = {"asked": set()}
            self.shown_point = self.shown_group = None
            self.reopened.update(slots)
            try:
                self.ask_until_done(floor=len(self.history))
            except Back:
                self.reopened.clear()   # Esc at the first question of a change: back to the review
            finally:
                self.round = None
                self.shown_point = self.shown_group = None

    def placeholder_label(self, path: str) -> str:
        """A placeholder's answer in the drafter's words: `parties.provider.name` → データ提供者の名称."""
        parts = path.split(".")
        if parts[0] == "parties" and len(parts) == 3 and f"party_{parts[2]}" in self.lib.ui["messages"]:
            return self.msg(f"party_{parts[2]}", role=self.role_label(parts[1]))
        point = self.lib.points.get(parts[0])
        if point is None:
            return path
        label = self.t(point.question) or self.t(point.label) or point.id
        f = point.field(parts[1]) if len(parts) > 1 else None
        return f"{label}{self.msg('field_joiner')}{self.t(f.label) or self.t(f.question) or f.id}" if f else label

    def generate(self) -> int:
        from .build import build

        force = False
        if self.output.exists():
            if not self.term.confirm(self.msg("overwrite", file=self.output), default=False):
                self.term.say(self.msg("not_built"))
                self.term.say(self.msg("saved", file=self.doc.path))
                return 0
            force = True
        result = build(self.doc.path, self.output, force=force, library=self.lib)
        self.term.say(self.msg("written", file=result.output))
        for path, where in result.placeholders:
            place = self.msg(f"place_{where}") if where in ("preamble", "closing", "signature") else where
            self.term.say(f"  ● {self.placeholder_label(path)}{self.msg('marks', marks=place)}  {path}")
        for warning in result.warnings:   # the build's cautions, as `contractkit build` prints them
            text = warning["text"]
            text = text.get(self.ui_lang) or text.get(result.lang) or next(iter(text.values())) if isinstance(text, dict) else text
            self.term.say(f"{self.msg('warning')}: {text}")
        self.term.say(self.msg("rebuild", answers=self.doc.path, file=result.output))
        return 0


TERMINAL_WORDS = ("keys_select", "keys_checkbox", "keys_confirm", "keys_text", "keys_joiner", "chosen_none", "list_joiner")
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−ーｰ－"})


def _ascii_date(text: str) -> str:
    """`２０２６－１２－０１` (an IME's full-width digits and dashes) as 2026-12-01."""
    import unicodedata
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip().replace("/", "-")


def _ascii_number(text: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip().replace(",", "")


def _in_lang(value, lang: str) -> str:
    """A text as the review shows it: a text per language ({ja: …, en: …}) in `lang` where it has one."""
    if isinstance(value, dict):
        value = value.get(lang) or next((v for v in value.values() if v), None)
    return "" if value is None else str(value)


def plain_dict(value: dict) -> dict:
    from .schema import plain
    return {k: plain(v) for k, v in value.items()}


def _default_of(decision: Decision, contract: str):
    if contract in decision.defaults:
        return decision.defaults[contract]
    return decision.default if decision.has_default else None
