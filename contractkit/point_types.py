"""The types of a decision point (or of one field of a mapping point, or one column of a list of
records): each type is one class that owns what an answer of that shape may be (its value schema,
with located errors), its default, how the interview asks it and when it counts as answered, how
the review, the memo and the guidance describe it, its concession steps, a value that lets a
scaffold build, and its sample values for the property tests. The modules ask the type
(`type_of(decision)`) instead of branching on its name; a new shape is one class here, registered
with `@register`.

Free texts may declare a grammatical `form:` (schema.TEXT_FORMS): a noun phrase, a name, or money,
an amount or a rate (schema.money_text), checked and normalised to the form the clause needs, in
the answers file and at the interview's prompt alike."""
from __future__ import annotations

TYPES: dict[str, "PointType"] = {}


def register(cls):
    TYPES[cls.name] = cls()
    return cls


def type_of(decision) -> "PointType":
    return TYPES[decision.type]


def names(where: str) -> tuple[str, ...]:
    """The type names a point ('point'), a field of a mapping ('field') or a column of a list of
    records ('column') may declare."""
    return tuple(name for name, t in TYPES.items() if where in t.where)


MONEY_SAMPLES = {   # valid answers of each money form in any draft language (the property tests)
    "amount": [{"ja": "金100万円", "en": "JPY 1,000,000"}, {"ja": "月額20万円", "en": "JPY 200,000 per month"}, "1000000",
               "JPY 200,000 per month"],
    "rate": ["5%", {"ja": "売上高の10%", "en": "10% of net sales"}, "6"],
    "annual-rate": [{"ja": "年14.6%", "en": "14.6% per annum"}, "3"],
    "amount-or-rate": [{"ja": "金100万円", "en": "JPY 1,000,000"}, {"ja": "月額20万円", "en": "JPY 200,000 per month"},
                       {"ja": "売上高の10%", "en": "10% of net sales"}, "5%"],
}


def sample_texts(decision) -> list:
    """Valid answers for a free text whose `form:` is money (none for other forms): a text, or one
    per language."""
    return MONEY_SAMPLES.get(getattr(decision, "form", "text"), [])


class PointType:
    name = ""
    where: tuple = ("point", "field")
    options = False       # declares options (and needs them)
    fields = False        # declares fields (and needs them)
    position = False      # a choice of position: a memo row with fallbacks, a concession order per side
    per_language = False  # an answer may be given per language ({ja: …, en: …})
    concede_shape = "[its best option, ..., the least it accepts]"
    # what the modules ask of a shape (instead of its name):
    yes_no = False        # true or false
    single = False        # exactly one option of a list: selects a clause's variants, a row's stance
    multiple = False      # any number of the options (every item not chosen is out of scope)
    has_parts = False     # named fields, each a decision of its own with its own default
    rows = False          # a list of records: a schedule's rows, its fields the columns
    translatable = False  # a text that may be written differently per language (`translate: true`)
    text_default = False  # a free text whose default may be given per language

    def trials(self, decision, contract: str) -> list:
        """Each whole answer the decision could be set to alone, to try it (the rule model's
        resolutions, the options the interview rules out): none for a shape with no finite list."""
        return []

    def candidates(self, decision, chosen, contract: str) -> list:
        """Every other answer a position could take (the review compares their texts)."""
        return []

    def same(self, a, b) -> bool:
        """Whether two answers are the same position."""
        return a == b

    def parts(self, decision, value) -> list[tuple]:
        """(decision, value, path) of each part an answer is made of: itself, or its fields."""
        return [(decision, value, ())]

    def slots(self, interview, decision) -> list[tuple]:
        """The interview's slots an answer is asked in: the point, or each of its fields or roles."""
        return [("point", decision.id)]

    # -- the answer file --------------------------------------------------------------------------
    def schema(self, decision, contract: str, roles: list[str], lang: str | None = None,
               bilingual: bool = False) -> S.Schema:
        raise NotImplementedError

    def pick_default(self, decision, value, lang: str):
        """A default as the draft's language reads it (a text may give one per language)."""
        return value

    # -- the interview ----------------------------------------------------------------------------
    def ask(self, interview, decision, message: str, current, save, column: bool = False):
        return interview._ask_typed(decision, message, current)

    def done(self, interview, decision, value, column: bool = False) -> bool:
        """Whether an answer needs no asking again."""
        return True

    def check_typed(self, decision, text: str, lang: str | None) -> tuple[object, str | None]:
        """A value typed at the prompt (stripped, not blank): (the value, None), or (None, what is
        wrong: a text, or (ui message key, its parameters))."""
        return text, None

    # -- words ------------------------------------------------------------------------------------
    def describe(self, library, contract: str, decision, value, lang: str, msg) -> str:
        return str(value)

    def concession_order(self, decision, contract: str, perspective: str) -> list:
        offered = decision.option_ids(contract)
        return [o for o in decision.concede.get(perspective, ()) if o in offered]

    def positions(self, decision, value) -> list[tuple]:
        """(decision, chosen value, path) of each position an answer takes (the memo's rows)."""
        return [(decision, value, ())] if self.position else []

    def chosen_options(self, decision, value) -> list[tuple]:
        """(decision, chosen option IDs) for each choice the answer makes (the article comments)."""
        return []

    def stances(self, decision, value) -> list[tuple]:
        """(decision, chosen) for each stance the answer takes that may give ground."""
        return self.chosen_options(decision, value)

    def gives_ground(self, decision, chosen, contract: str, perspective: str) -> bool:
        """A chosen option that favours a role other than the drafter's."""
        from .guidance import side_of
        chosen = chosen if isinstance(chosen, list) else [chosen]
        return any(option["id"] in chosen and side_of(option, contract) not in ("neutral", perspective)
                   for option in decision.options)

    def fallbacks(self, decision, chosen, contract: str, perspective: str, order: list) -> list:
        """What the side could concede to, best first, from its concession order."""
        return order[order.index(chosen) + 1:] if chosen in order else []

    # -- samples ----------------------------------------------------------------------------------
    def scaffold(self, library, decision, contract: str, template, blank: str):
        """A value that lets a scaffold's example build."""
        return None

    def strategy(self, decision, contract: str, roles: list[str], samples):
        """A hypothesis strategy of valid answers; `samples` gives the texts (samples.text(decision))
        and the strategy of another decision (samples.of(decision))."""
        raise NotImplementedError


@register
class Choice(PointType):
    name = "choice"
    where = ("point", "field", "column")
    options = position = True
    single = True

    def trials(self, decision, contract):
        return decision.option_ids(contract) if self.single else []

    def candidates(self, decision, chosen, contract):
        return [o for o in decision.option_ids(contract) if o != chosen] if isinstance(chosen, str) else []

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.Choice(decision.option_ids(contract), f"option of '{decision.id}'", nullable=decision.nullable)

    def ask(self, interview, decision, message, current, save, column: bool = False):
        return interview._ask_choice(decision, message, current)

    def describe(self, library, contract, decision, value, lang, msg):
        labels = {o["id"]: o["label"][lang] for o in decision.options}
        if isinstance(value, dict):   # choice-map: one choice per key (e.g. per deliverable)
            from .describe import key_label
            return msg("list_joiner").join(f"{key_label(library, k, lang)}{msg('colon')}{labels.get(v, v)}"
                                           for k, v in value.items())
        chosen = value if isinstance(value, list) else [value]
        return msg("list_joiner").join(labels.get(v, v) for v in chosen) or "—"

    def chosen_options(self, decision, value):
        return [(decision, value if isinstance(value, list) else [value])]

    def scaffold(self, library, decision, contract, template, blank):
        options = decision.option_ids(contract)
        return options[0] if options else None

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        return st.sampled_from(decision.option_ids(contract))


@register
class Multi(Choice):
    name = "multi"
    where = ("point", "field")
    single = False
    multiple = True

    def ask(self, interview, decision, message, current, save, column: bool = False):
        return interview._ask_multi(decision, message, current)

    def candidates(self, decision, chosen, contract):
        """One option more or less."""
        current = list(chosen or [])
        ids = decision.option_ids(contract)
        return [[o for o in ids if (o in current) != (o == x)] for x in ids]

    def same(self, a, b):
        return set(a) == set(b)
    concede_shape = "[the options in the order it would give them up, if chosen, or accept them, if not]"

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.ListOf(S.Choice(decision.option_ids(contract), f"option of '{decision.id}'"), unique=True,
                        nullable=decision.nullable)

    def scaffold(self, library, decision, contract, template, blank):
        return decision.option_ids(contract)[:1]

    def fallbacks(self, decision, chosen, contract, perspective, order):
        """Ours with one more option given up or accepted, in our order."""
        from .guidance import side_of
        current, out = list(chosen or []), []
        for option_id in order:
            option = next(o for o in decision.options if o["id"] == option_id)
            side = side_of(option, contract)
            if option_id in current and side != "neutral" and side != perspective:
                continue   # dropping what helps the other side gains ground, it does not give it
            if option_id not in current and side == perspective:
                continue
            out.append([o for o in current if o != option_id] if option_id in current else
                       [o for o in decision.option_ids(contract) if o in current or o == option_id])
        return out

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        return st.lists(st.sampled_from(decision.option_ids(contract)), unique=True)


@register
class ChoiceMap(Choice):
    """One option for everything, or one per key: {trained-model: user, report: vendor}."""
    name = "choice-map"
    where = ("point",)
    position = False
    single = False

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        one = S.Choice(decision.option_ids(contract), f"option of '{decision.id}'", nullable=decision.nullable)
        return S.Either(one, S.Fields({k: one for k in decision.keys}, what=f"key of '{decision.id}'"),
                        nullable=decision.nullable)

    def ask(self, interview, decision, message, current, save, column: bool = False):
        return interview._ask_choice_map(decision, message, current)

    def positions(self, decision, value):
        return [(decision, value, ())] if isinstance(value, str) else []   # one option for everything

    def chosen_options(self, decision, value):
        return [(decision, sorted(set(value.values())) if isinstance(value, dict) else [value])]

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        options = decision.option_ids(contract)
        return st.one_of(st.sampled_from(options),
                         st.dictionaries(st.sampled_from(decision.keys), st.sampled_from(options), min_size=1))


@register
class Bool(PointType):
    name = "bool"
    position = True
    yes_no = True
    concede_shape = "[true, false] or [false, true], its best first (or [true] / [false]: never given up)"

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.Bool()

    def ask(self, interview, decision, message, current, save, column: bool = False):
        return interview._ask_yes_no(decision, message, current)

    def trials(self, decision, contract):
        return [False, True]

    def candidates(self, decision, chosen, contract):
        return [not chosen] if isinstance(chosen, bool) else []

    def describe(self, library, contract, decision, value, lang, msg):
        return msg("yes") if value else msg("no")

    def concession_order(self, decision, contract, perspective):
        return [o for o in decision.concede.get(perspective, ()) if isinstance(o, bool)]

    def stances(self, decision, value):
        return [(decision, value)]

    def gives_ground(self, decision, chosen, contract, perspective):
        """An answer other than the drafter's side's best in its `concede:`."""
        order = decision.concede.get(perspective) or []
        return bool(order) and chosen != order[0]

    def scaffold(self, library, decision, contract, template, blank):
        return True

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        return st.booleans()


@register
class Text(PointType):
    """A free text, in the draft's language or per language ({ja: …, en: …}); with `form:` a noun
    phrase, a name, an amount or a rate (schema.TEXT_FORMS)."""
    name = "text"
    where = ("point", "field", "column")
    per_language = True
    translatable = text_default = True

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.AnswerText(nullable=decision.nullable, max_len=5000, form=decision.form,
                            multiline=getattr(decision, "multiline", False), lang=lang, bilingual=bilingual,
                            translate=getattr(decision, "translate", False))

    def pick_default(self, decision, value, lang):
        if isinstance(value, dict) and set(value) == set(S.LANGS):
            return value[lang]
        return value

    def ask(self, interview, decision, message, current, save, column: bool = False):
        return interview.ask_text(message, current, nullable=decision.nullable,
                                  instruction=interview._typed_hint(decision),
                                  translate=getattr(decision, "translate", False),
                                  latin=self.latin(decision, column),
                                  check=lambda text, lang: self.check_typed(decision, text, lang))

    def done(self, interview, decision, value, column: bool = False):
        if column:
            return interview.text_done(value, decision.nullable, getattr(decision, "translate", False), latin=True)
        return interview.text_done(value, decision.nullable or value is not None, getattr(decision, "translate", False),
                                   self.latin(decision, column))

    @staticmethod
    def latin(decision, column: bool) -> bool:
        """Whether one text in Latin letters may serve both columns of a ja+en draft: a name, or a
        schedule's cell (CSV); never a text the languages write differently (`translate`)."""
        return column or decision.form == "name"

    def check_typed(self, decision, text, lang):
        """The same check as in the answers file (a noun phrase, a name, an amount or a rate), on
        one language's text; money comes back normalised (a bare 6 as a rate: 6%)."""
        problems: list = []
        value = S.AnswerText(form=decision.form, lang=lang).check(text, ("answers", decision.id), problems)
        if problems:
            return None, problems[0].message
        return value, None

    def describe(self, library, contract, decision, value, lang, msg):
        return str(value)

    def scaffold(self, library, decision, contract, template, blank):
        money = [t for t in sample_texts(decision) if isinstance(t, str)]
        return money[0] if money else blank      # an amount or a rate needs its figure

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        nullable = [st.none()] if decision.nullable else []
        return st.one_of(samples.text(decision), *nullable)


@register
class PerRole(Text):
    """A text for each role of the contract type (what each party provides)."""
    name = "per-role"
    where = ("field",)
    per_language = False
    translatable = text_default = False

    def slots(self, interview, decision):
        return [("role", decision.id, role["id"]) for role in interview.template.roles]

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.Fields({r: S.AnswerText(nullable=True, max_len=5000, form=decision.form,
                                         multiline=getattr(decision, "multiline", False), lang=lang,
                                         bilingual=bilingual) for r in roles},
                        nullable=decision.nullable, what="role")

    def ask(self, interview, decision, message, current, save, column: bool = False):
        return interview._ask_per_role(decision, message, current)

    def done(self, interview, decision, value, column: bool = False):
        return isinstance(value, dict) and all(r["id"] in value and interview.text_done(value[r["id"]], True)
                                               for r in interview.template.roles)

    def describe(self, library, contract, decision, value, lang, msg):
        if not isinstance(value, dict):
            return str(value)
        roles = {r["id"]: r["label"][lang] for r in library.templates[contract].roles}
        texts = {r: v.get(lang, next(iter(v.values()), None)) if isinstance(v, dict) else v for r, v in value.items()}
        return msg("field_joiner").join(f"{roles.get(r, r)}{msg('colon')}{v if v is not None else msg('unknown_value')}"
                                        for r, v in texts.items())

    def scaffold(self, library, decision, contract, template, blank):
        return {r["id"]: blank for r in template.roles}

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        return st.fixed_dictionaries({r: st.one_of(samples.text(decision), st.none()) for r in roles})


@register
class Int(PointType):
    name = "int"
    where = ("point", "field", "column")

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.Int(decision.min, decision.max, nullable=decision.nullable)

    def check_typed(self, decision, text, lang):
        import re
        from .interview import _ascii_number     # full-width figures, minus signs, thousands separators
        text = _ascii_number(text)
        if not re.fullmatch(r"-?\d+", text):
            return None, ("not_a_number", {})
        if decision.min is not None and int(text) < decision.min:
            return None, ("too_small", {"min": decision.min})
        if decision.max is not None and int(text) > decision.max:
            return None, ("too_large", {"max": decision.max})
        return int(text), None

    def scaffold(self, library, decision, contract, template, blank):
        return decision.min if decision.min is not None else 1

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        low = decision.min if decision.min is not None else 0
        high = decision.max if decision.max is not None else low + 60
        return st.integers(low, min(high, low + 60))


@register
class Date(PointType):
    """A date, printed in the draft's language (2027年4月1日 / April 1, 2027)."""
    name = "date"
    where = ("field",)

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.Date(nullable=decision.nullable, hint="; or null: a ● to fill in" if decision.nullable else "")

    def check_typed(self, decision, text, lang):
        date = S.parse_date(text)
        return (date, None) if date else (None, ("bad_date", {}))

    def strategy(self, decision, contract, roles, samples):
        import datetime
        from hypothesis import strategies as st
        days = st.dates(datetime.date(2025, 1, 1), datetime.date(2031, 12, 31))   # a YAML date or its ISO text
        return st.one_of(days, days.map(datetime.date.isoformat), *([st.none()] if decision.nullable else []))


@register
class Mapping(PointType):
    """Named fields, each of its own type (a choice, a list of options, a number, a text, a list of
    records …): `{mode: limited, days: 30}`, `{kinds: [prompts, files], description: …}`."""
    name = "mapping"
    where = ("point", "field")
    fields = True
    has_parts = True

    def parts(self, decision, value):
        return [(f, (value or {}).get(f.id), (f.id,)) for f in decision.fields]

    def slots(self, interview, decision):
        return interview.field_slots(decision)

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        return S.Fields({f.id: S.Field(type_of(f).schema(f, contract, roles, lang, bilingual)) for f in decision.fields},
                        nullable=decision.nullable, what=f"field of '{decision.id}'")

    def describe(self, library, contract, decision, value, lang, msg):
        if not isinstance(value, dict):
            return str(value)
        from .answers import evaluate
        from .describe import describe_value
        parts = []
        for index, f in enumerate(decision.fields):
            if f.id not in value or (value[f.id] is None and type_of(f).rows):
                continue              # a list of records left empty lists nothing (the article states it whole)
            if f.when and not evaluate(library, decision, ("fields", index, "when"), {**value, "contract": contract}, unknown=True):
                continue              # e.g. the arbitral institution when disputes go to court; an ai-use field in ai-service
            label = (f.label or {}).get(lang) or f.id
            parts.append(f"{label}{msg('colon')}{describe_value(library, contract, f, value[f.id], lang)}")
        return msg("field_joiner").join(parts)

    def positions(self, decision, value):
        """Each choice, yes/no and multi-select field: its own row in the memo with its own fallback."""
        if not isinstance(value, dict):
            return []
        return [(f, value[f.id], (f.id,)) for f in decision.fields
                if type_of(f).position and not f.fact and value.get(f.id) is not None]

    def chosen_options(self, decision, value):
        if not isinstance(value, dict):
            return []
        return [(f, value[f.id] if isinstance(value[f.id], list) else [value[f.id]]) for f in decision.fields
                if f.options and f.id in value and value[f.id] is not None]

    def stances(self, decision, value):
        if not isinstance(value, dict):
            return []
        return [(f, value[f.id]) for f in decision.fields if type_of(f).yes_no and value.get(f.id) is not None] \
            + self.chosen_options(decision, value)

    def scaffold(self, library, decision, contract, template, blank):
        from .answers import evaluate
        from .values import default_for
        out, known = {}, {}
        for f in decision.fields:
            has, value = default_for(f, contract, "ja")
            if has:
                known[f.id] = value
        for index, f in enumerate(decision.fields):
            if f.has_default or contract in f.defaults:
                continue
            if f.when and not evaluate(library, decision, ("fields", index, "when"), {**known, **out}, unknown=True):
                continue    # does not apply with the defaults and the values chosen so far
            value = type_of(f).scaffold(library, f, contract, template, blank)
            if value is not None:
                out[f.id] = value
        return out

    def strategy(self, decision, contract, roles, samples):
        from hypothesis import strategies as st
        return st.fixed_dictionaries({f.id: samples.of(f) for f in decision.fields})


@register
class Records(PointType):
    """A list of records (a schedule's rows, its fields the columns), or one line of text that the
    article carries instead."""
    name = "records"
    fields = True
    per_language = True   # as one line of text
    rows = translatable = True

    def schema(self, decision, contract, roles, lang=None, bilingual=False):
        text = S.AnswerText(nullable=decision.nullable, max_len=5000, form=decision.form, lang=lang, bilingual=bilingual,
                            translate=getattr(decision, "translate", False))
        record = S.Fields({f.id: S.Field(type_of(f).schema(f, contract, roles, lang, bilingual), required=not f.nullable)
                           for f in decision.fields}, what=f"column of '{decision.id}'")
        return S.Records(text, record, nullable=decision.nullable)

    def ask(self, interview, decision, message, current, save, column: bool = False):
        return interview._ask_records(decision, message, current, save or (lambda rows: None))

    def done(self, interview, decision, value, column: bool = False):
        if isinstance(value, list):
            return bool(value) and all(interview.row_done(decision, row) for row in value)
        return interview.text_done(value, decision.nullable, getattr(decision, "translate", False))

    def describe(self, library, contract, decision, value, lang, msg):
        if not isinstance(value, list):
            return str(value)
        # a schedule: its title and the first column of each record (the items it lists)
        from .describe import describe_value
        first = decision.fields[0]
        items = [describe_value(library, contract, first, record.get(first.id), lang) for record in value]
        return f"{decision.schedule[lang]}{msg('colon')}{msg('list_joiner').join(items)}"

    def scaffold(self, library, decision, contract, template, blank):
        return blank    # a list of records may be one line of text

    def strategy(self, decision, contract, roles, samples):
        import dataclasses
        from hypothesis import strategies as st
        columns = st.fixed_dictionaries({c.id: samples.of(c) for c in decision.fields})
        return st.one_of(samples.of(dataclasses.replace(decision, type="text")), st.lists(columns, min_size=1, max_size=3))


# last: schema.py builds its point declarations from the types above (schema.POINT_TYPES)
from . import schema as S  # noqa: E402
