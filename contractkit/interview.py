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
from .values import snake

MORE = "\0more"
NONE = "\0none"   # questionary takes a choice whose value is None to mean its title


class Interview:
    def __init__(self, library: Library, doc: AnswersDocument, terminal, ui_lang: str, output: Path,
                 preset: dict | None = None):
        self.lib, self.doc, self.term, self.ui_lang, self.output = library, doc, terminal, ui_lang, Path(output)
        self.preset = {k: v for k, v in (preset or {}).items() if v is not None}
        self.pack_path = self.preset.pop("pack_path", ())
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

    def run(self) -> int:
        self.term.say(self.msg("intro", file=self.doc.path))
        self.ask_setup()
        self.ask_parties()
        self.ask_pending_points()
        return self.review()

    def ask_setup(self) -> None:
        if "contract" in self.preset and self.doc.get("contract") not in (None, self.preset["contract"]):
            raise UserError(f"{self.doc.path}: is a {self.doc.get('contract')} answers file, not {self.preset['contract']}")
        if self.doc.get("contract") is None:
            contract = self.preset.get("contract") or self.term.select(self.msg("contract"), [
                (f"{self.t(t.name or t.title)} — {self.t(t.description)}" if t.description else self.t(t.name or t.title), cid, None)
                for cid, t in self.lib.templates.items()])
            self.doc.set("contract", contract)
        if "usecase" in self.preset and "usecase" not in self.doc.data:
            self.doc.set("usecase", self.preset["usecase"])
        if "usecase" not in self.doc.data:
            self.ask_usecase()
        if self.doc.get("usecase") and self.doc.get("usecase") not in self.lib.packs:
            from .library import load_library
            from .packs import find_pack
            self.lib = load_library(packs=[find_pack(self.doc.get("usecase"), self.pack_path)])
        if self.doc.get("language") is None and not (self.stage and "language" in self.stage):
            language = self.preset.get("lang") or self.term.select(self.msg("language"), [
                (self.msg("language_ja"), "ja", None), (self.msg("language_en"), "en", None),
                (self.msg("language_both"), "ja+en", None)], default=self.ui_lang)
            self.doc.set("language", language)
        if "perspective" not in self.doc.data and not (self.stage and "perspective" in self.stage):
            choices = [(self.t(r["label"]), r["id"], None) for r in self.template.roles if r.get("signs", True)]
            choices.append((self.msg("perspective_none"), NONE, None))
            chosen = self.term.select(self.msg("perspective"), choices)
            self.doc.set("perspective", None if chosen == NONE else chosen)
        if "date" not in self.doc.data:
            self.doc.set("date", self.ask_date())

    def ask_usecase(self) -> None:
        """Offer the packs for this contract type (none found: nothing to ask)."""
        from .library import load_library
        from .packs import find_packs
        from .errors import UserError as _UserError

        choices = []
        for pack_id, folder in find_packs(self.pack_path).items():
            try:
                pack = load_library(packs=[folder]).packs[pack_id]
            except _UserError:
                continue  # a pack that does not validate is not offered
            if self.contract in pack["contracts"]:
                choices.append((f"{self.t(pack['title'])} — {self.t(pack['description'])}", pack_id, None))
        if choices:
            # "none" comes first: pressing Enter must not opt the deal into an industry's defaults
            choice = self.term.select(self.msg("usecase"), [(self.msg("usecase_none"), NONE, None)] + choices)
            self.doc.set("usecase", None if choice == NONE else choice)

    def ask_date(self):
        def valid(text):
            if not text.strip():
                return True
            try:
                _dt.date.fromisoformat(text.strip())
                return True
            except ValueError:
                return self.msg("bad_date")
        text = self.term.text(self.msg("date"), validate=valid).strip()
        return _dt.date.fromisoformat(text) if text else None

    def ask_parties(self) -> None:
        if self.stage and "parties" in self.stage and not self.doc.get("parties"):
            return  # the parties of the earlier stage
        for role in self.template.roles:
            if not role.get("signs", True):
                continue
            label = self.t(role["label"])
            for field in ("name", "address", "representative"):
                party = self.doc.party(role["id"])
                if party is not None and field in party:
                    continue
                answer = self.term.text(self.msg(f"party_{field}", role=label), instruction=self.msg("unknown_hint"))
                self.doc.set_party(role["id"], field, answer.strip() or None)

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
        return current_values(self.lib, self.contract, self.lang, self.answered(), [r["id"] for r in self.template.roles],
                              self.perspective)

    @property
    def perspective(self) -> str | None:
        return self.doc.get("perspective") or (self.stage or {}).get("perspective")

    def applies(self, point: Decision, values: dict):
        """True, False, or None when it depends on a point not answered yet."""
        if not point.when:
            return True
        return evaluate(self.lib, point, ("when",), {snake(k): v for k, v in values.items()}, unknown=None)

    def pending(self) -> tuple[list[Decision], list[Decision]]:
        """(the points that apply now, those of them still to ask)."""
        values = self.values()
        active = [p for p in self.points_in_order() if self.applies(p, values) is not False]
        answered = self.answered()
        return active, [p for p in active if p.id not in answered and self.applies(p, values)]

    def ask_pending_points(self) -> None:
        while True:
            active, pending = self.pending()
            if not pending:
                return
            self.ask_point(pending[0], active.index(pending[0]) + 1, len(active))

    def ask_point(self, point: Decision, number: int, total: int) -> None:
        theme = self.t(self.lib.ui["themes"].get(point.theme))
        self.term.say("")
        self.term.say(self.msg("progress", number=number, total=total, theme=theme))
        if point.note:
            self.term.say(self.t(point.note))
        current = self.values().get(point.id)
        before = {w["id"] for w in self.current_warnings()}
        value = self.ask_decision(point, self.t(point.question) or self.t(point.label) or point.id, current)
        self.doc.set_answer(point.id, value)
        for warning in self.current_warnings():
            if warning["id"] not in before or (warning["point"] or "").split(".")[0] == point.id:
                self.term.say(f"{self.msg('warning')}: {self.t(warning['text'])}")
        self.drop_inapplicable()

    def ask_decision(self, decision: Decision, message: str, current):
        kind = decision.type
        while True:
            if kind in ("choice", "multi", "bool"):
                answer = self._ask_choice(decision, message, current)
            elif kind == "choice-map":
                answer = self._ask_choice_map(decision, message, current)
            elif kind == "mapping":
                return self._ask_mapping(decision, current or {})
            elif kind == "per-role":
                return self._ask_per_role(decision, message, current or {})
            else:
                answer = self._ask_typed(decision, message, current)
            if answer == MORE or (isinstance(answer, list) and MORE in answer):
                self.explain(decision)
                if isinstance(answer, list):
                    current = [a for a in answer if a != MORE]
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

    def _option_choices(self, decision: Decision):
        default = _default_of(decision, self.contract)
        for option in decision.options:
            if option.get("contracts") and self.contract not in option["contracts"]:
                continue
            marks = [self.favours_text(option)]
            if option["id"] == default or (isinstance(default, list) and option["id"] in default):
                marks.append(self.msg("usual"))
            marks_text = self.msg("marks", marks=self.msg("marks_joiner").join(marks))
            title = f"{'⚠ ' if option.get('warn') else ''}{self.t(option['label'])}{marks_text}"
            yield title, option["id"], self.t(option.get("note")) or None

    def _ask_choice(self, decision, message, current):
        more = (self.msg("more"), MORE, None)
        if decision.type == "bool":
            choices = [(self.msg("yes"), True, None), (self.msg("no"), False, None), more]
            return self.term.select(message, choices, default=current if current is not None else True)
        choices = list(self._option_choices(decision))
        if decision.type == "multi":
            chosen = current or []
            return self.term.checkbox(message, [(t, v, d, v in chosen) for t, v, d in choices] + [(*more, False)])
        return self.term.select(message, choices + [more], default=current)

    def _ask_choice_map(self, decision, message, current):
        choices = list(self._option_choices(decision))
        per_key = "\0per-key"
        default = current if isinstance(current, str) else per_key if isinstance(current, dict) else None
        answer = self.term.select(message, choices + [(self.msg("per_key"), per_key, None), (self.msg("more"), MORE, None)],
                                  default=default)
        if answer != per_key:
            return answer
        keys = self._relevant_keys(decision)
        out = {}
        for key in keys:
            key_default = current.get(key) if isinstance(current, dict) else None
            out[key] = self.term.select(f"{message} — {self._key_label(key)}", choices, default=key_default)
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

    def _ask_typed(self, decision, message, current):
        instruction = self.msg("more_hint") + ("; " + self.msg("unknown_hint") if decision.nullable else "")

        def valid(text):
            text = text.strip()
            if text == "?":
                return True
            if not text:
                return True if decision.nullable else self.msg("required")
            if decision.type == "int":
                if not re.fullmatch(r"-?\d+", text):
                    return self.msg("not_a_number")
                if decision.min is not None and int(text) < decision.min:
                    return self.msg("too_small", min=decision.min)
                if decision.max is not None and int(text) > decision.max:
                    return self.msg("too_large", max=decision.max)
            return True

        shown = "" if current is None else str(current)
        text = self.term.text(message, default=shown, validate=valid, instruction=instruction).strip()
        if text == "?":
            return MORE
        if not text:
            return None
        return int(text) if decision.type == "int" else text

    def _ask_mapping(self, point: Decision, current: dict) -> dict:
        out: dict = {}
        for index, f in enumerate(point.fields):
            if f.when:
                applies = evaluate(self.lib, point, ("fields", index, "when"), out, unknown=True)
                if not applies:
                    continue
            if f.note:
                self.term.say(self.t(f.note))
            out[f.id] = self.ask_decision(f, self.t(f.label) or self.t(f.question) or f.id, current.get(f.id))
        return out

    def _ask_per_role(self, decision, message, current: dict) -> dict:
        out = {}
        for role in self.template.roles:
            answer = self.term.text(f"{message} — {self.t(role['label'])}", default=current.get(role["id"]) or "",
                                    instruction=self.msg("unknown_hint"))
            out[role["id"]] = answer.strip() or None
        return out

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
        """Whether the answer favours the other side, from the drafter's side (`perspective`)."""
        if not self.perspective or value is None:
            return False
        chosen = value if isinstance(value, list) else [value]
        for option in point.options:
            if option["id"] in chosen and option.get("favours") not in (None, "neutral", self.perspective):
                favours = option["favours"]
                if isinstance(favours, dict):
                    favours = favours.get(self.contract, "neutral")
                if favours not in ("neutral", self.perspective):
                    return True
        return False

    def review(self) -> int:
        while True:
            self.term.say("")
            self.term.say(f"== {self.msg('review')} ==")
            values = self.values()
            active = [p for p in self.points_in_order() if self.applies(p, values)]
            for point in active:
                label = self.t(point.question) or point.id
                flag = f"  ⚠ {self.msg('memo_gives_ground')}" if self.gives_ground(point, values.get(point.id)) else ""
                self.term.say(f"{self.msg('bullet')}{label}: {self.describe(point, values.get(point.id))}{flag}")
            warnings = self.current_warnings()
            if warnings:
                self.term.say(f"{self.msg('review_warnings')}:")
                for warning in warnings:
                    self.term.say(f"  {self.msg('warning')}: {self.t(warning['text'])}")
            choices = [(self.msg("review_generate"), "\0generate", None)]
            choices += [(self.msg("review_change", what=self.t(p.question) or p.id), p.id, None) for p in active]
            choices.append((self.msg("review_quit"), "\0quit", None))
            choice = self.term.select(self.msg("review"), choices)
            if choice == "\0generate":
                return self.generate()
            if choice == "\0quit":
                self.term.say(self.msg("saved", file=self.doc.path))
                return 0
            point = self.lib.points[choice]
            self.ask_point(point, active.index(point) + 1, len(active))
            self.ask_pending_points()

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
            self.term.say(f"  ● {path}  ({where})")
        self.term.say(self.msg("rebuild", answers=self.doc.path, file=result.output))
        return 0


def _default_of(decision: Decision, contract: str):
    if contract in decision.defaults:
        return decision.defaults[contract]
    return decision.default if decision.has_default else None
