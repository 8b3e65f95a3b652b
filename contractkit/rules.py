"""The rule model at work. Every clause variant declares what it says about each kind of data or
deliverable (`rules:` in its file): who may do what, when. For a set of answers this module finds
the articles of the draft and the variant of each, gathers their rules, and reports any two that
disagree on the same object, party, act and time without a declared precedence. It also says
which articles keep applying after the end (the survival article lists exactly those)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import BuildError
from .markers import Placeholder
from .point_types import type_of
from .values import snake


@dataclass
class Selection:
    """The articles a draft holds, in order, with their variants and their rules in force."""

    clauses: list                                   # Clause, in the template's order
    variants: dict                                  # clause ID → variant ID
    rules: list                                     # Rule, in force
    conflicts: list = field(default_factory=list)   # Conflict
    precedences: list = field(default_factory=list)  # (winner Rule, loser Rule) the draft relies on

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.clauses]

    def surviving(self, library, context: dict) -> list[str]:
        """The articles whose rules or duties apply after the end: never the survival article itself,
        nor one that only defines terms (the definitions, whose terms the surviving articles use anyway)."""
        found = []
        for clause in self.clauses:
            if clause.id == "survival" or clause.collects_terms:
                continue
            after = any("after-end" in r.times for r in self.rules if r.clause == clause.id)
            flag = clause.survives
            if isinstance(flag, str):
                flag = _holds(library, f"{clause.file}#survives", context)
            if after or flag:
                found.append(clause.id)
        return found


@dataclass
class Conflict:
    object: str
    party: str
    act: str
    time: str
    first: object    # Rule
    second: object   # Rule
    kind: str = "disagree"   # or "no-base": the draft forbids what `first` needs (`second` says so);
    #                          "outlived": `first` ends with the term while its base (`second`) lasts
    @property
    def clauses(self) -> tuple[str, str]:
        return self.first.clause, self.second.clause

    @property
    def deciders(self) -> list[str]:
        return list(dict.fromkeys(self.first.deciders + self.second.deciders))


def wrap_answers(value, path: str):
    """An answer as templates see it: an undecided value (null) prints a placeholder."""
    if value is None:
        return Placeholder(path)
    if isinstance(value, dict):
        return {k: wrap_answers(v, f"{path}.{k}") for k, v in value.items()}
    return value


def answer_context(values: dict, contract: str, lang: str, bilingual: bool = False) -> dict:
    ctx = {snake(pid): wrap_answers(value, pid) for pid, value in values.items()}
    ctx.update(lang=lang, contract=contract, bilingual=bilingual)
    return ctx


def _holds(library, code_name: str, context: dict) -> bool:
    from .render import render_code

    try:
        return render_code(library.codes[code_name], dict(context), code_name) == "1"
    except BuildError:
        raise
    except Exception as exc:
        file, line = library.origins.get(code_name, (code_name.partition("#")[0], 1))
        raise BuildError(f"{file}:{line}:1: this condition cannot be evaluated with these answers: {exc}") from None


def variant_of(clause, values: dict) -> str:
    if not clause.select:
        return "default"
    point_id, _, field_id = clause.select.partition(".")
    value = values.get(point_id)
    if field_id and isinstance(value, dict):
        value = value.get(field_id)
    if value is None:
        raise BuildError(f"{clause.file}: selects its text by '{clause.select}', which has no answer in this draft")
    if value not in clause.variants:
        raise BuildError(f"{clause.file}: has no variant for '{clause.select}: {value}'")
    return value


def select(library, contract: str, values: dict, lang: str = "ja", bilingual: bool = False) -> Selection:
    """The articles, variants and rules of the draft these answers make, with its conflicts."""
    context = answer_context(values, contract, lang, bilingual)
    roles = {r["id"] for r in library.templates[contract].roles}
    clauses = [library.clauses[cid] for cid in library.templates[contract].articles]
    clauses = [c for c in clauses if not c.when or _holds(library, f"{c.file}#when", context)]
    present = {c.id for c in clauses}
    context["has"] = present.__contains__        # a rule may depend on another article being there
    variants, rules = {}, []
    for clause in clauses:
        if clause.collects_terms:
            variants[clause.id] = "default"
            continue
        variant = variants[clause.id] = variant_of(clause, values)
        for rule in clause.rules:
            if rule.variant not in (None, variant):
                continue
            if rule.when and not _holds(library, rule.code_name, context):
                continue
            if not any(p in roles for p in rule.parties):
                continue
            rules.append(rule)
    selection = Selection(clauses, variants, rules)
    _compare(selection, roles)
    _check_needs(selection, roles)
    return selection


def _wins(a, b) -> bool:
    return b.clause in a.overrides or a.clause in b.yields


def _compare(selection: Selection, roles: set) -> None:
    seen: dict[tuple, list] = {}
    for rule in selection.rules:
        for key in ((o, p, a, t) for o in rule.objects for p in rule.parties if p in roles for a in rule.acts for t in rule.times):
            for other in seen.get(key, []):
                if other.modality == rule.modality or other is rule:
                    continue
                if _wins(rule, other):
                    selection.precedences.append((rule, other))
                elif _wins(other, rule):
                    selection.precedences.append((other, rule))
                elif not any(c.first is other and c.second is rule for c in selection.conflicts):
                    selection.conflicts.append(Conflict(*key, other, rule))
            seen.setdefault(key, []).append(rule)


def _meets(modality: str, wanted: str) -> bool:
    return modality == "allowed" or (wanted == "consent" and modality == "consent")


def _check_needs(selection: Selection, roles: set) -> None:
    """Rules that presuppose another (`needs:`: a royalty its base, a cap or a credit the fees): the
    base may not be refused at every time the rule needs it (an article that says so is named),
    and a rule that ends with the term may not depend on a base the draft keeps after the end."""
    by_key: dict[tuple, list] = {}
    for rule in selection.rules:
        for key in ((o, p, a, t) for o in rule.objects for p in rule.parties if p in roles for a in rule.acts for t in rule.times):
            by_key.setdefault(key, []).append(rule)
    for key, said in by_key.items():   # a rule another prevails over says nothing where both speak
        by_key[key] = [r for r in said if not any(lost is r and won in said for won, lost in selection.precedences)]
    for rule in selection.rules:
        base = rule.needs
        if not base or not any(p in roles for p in base["parties"]):
            continue
        keys = [(o, p, a) for o in base["objects"] for p in base["parties"] if p in roles for a in base["acts"]]
        times = base["times"] if base["at"] else rule.times
        # the base holds if the draft allows it at some time the rule needs it, or says nothing of it
        said = [(t, k, r) for t in times for k in keys for r in by_key.get((*k, t), []) if r is not rule]
        if said and not any(_meets(r.modality, base["is"]) for _, _, r in said):
            t, (o, p, a), refusing = said[0]
            selection.conflicts.append(Conflict(o, p, a, t, rule, refusing, kind="no-base"))
            continue
        if "after-end" in rule.times:
            continue
        for o, p, a in keys:
            lasting = next((r for r in by_key.get((o, p, a, "after-end"), []) if r is not rule and r.clause != rule.clause
                            and _meets(r.modality, base["is"])), None)
            if lasting is not None:
                selection.conflicts.append(Conflict(o, p, a, "after-end", rule, lasting, kind="outlived"))
                break


# ---- explaining a conflict ------------------------------------------------------------------

def _option_ids(library, contract: str, decider: str) -> list[str]:
    point_id, _, field_id = decider.partition(".")
    point = library.points.get(point_id)
    if point is not None and point.contracts and contract not in point.contracts:
        return []   # read by a condition, but not a point of this contract type
    decision = point.field(field_id) if point and field_id else point
    return type_of(decision).trials(decision, contract) if decision is not None else []


def _with(values: dict, decider: str, option: str) -> dict:
    point_id, _, field_id = decider.partition(".")
    changed = dict(values)
    if field_id:
        changed[point_id] = {**(values.get(point_id) or {}), field_id: option}
    else:
        changed[point_id] = option
    return changed


def _conflict_key(conflict: Conflict) -> tuple:
    return conflict.object, conflict.party, conflict.act, conflict.time, conflict.kind, conflict.clauses


def resolutions(library, contract: str, values: dict, conflict: Conflict, lang: str = "ja",
                others: list | None = None) -> list[str]:
    """Single answers that make this conflict go away without making another (the draft's `others`
    conflicts, each with its own resolution, may remain)."""
    found = []
    known = {_conflict_key(c) for c in others or []} - {_conflict_key(conflict)}
    deciders = []
    for decider in conflict.deciders:   # a mapping point as a whole: each of its choice fields
        point = library.points.get(decider)
        deciders += [f"{decider}.{f.id}" for f in point.fields if type_of(f).single] \
            if point is not None and type_of(point).has_parts else [decider]
    for decider in deciders:
        point_id, _, field_id = decider.partition(".")
        current = values.get(point_id)
        current = current.get(field_id) if field_id and isinstance(current, dict) else current
        trials = [(f"{decider}: {_shown(option)}", option) for option in _option_ids(library, contract, decider) if option != current]
        if isinstance(current, list):   # a multi-select (or a list's rows): each chosen one left out
            trials = [(f"{decider} から {_shown(option)} を除く" if lang == "ja" else f"{decider} without {_shown(option)}",
                       [o for o in current if o != option]) for option in current]
        for shown, option in trials:
            try:
                other = select(library, contract, _with(values, decider, option), lang)
            except BuildError:
                continue
            if not {_conflict_key(c) for c in other.conflicts} - known:
                found.append(shown)
    return found


def describe(library, conflict: Conflict, values: dict, contract: str | None = None, lang: str = "en") -> str:
    """One sentence a drafter can act on, in the answers' language: what the two articles disagree
    about, and where each is (by the draft's own headings, and its own words for the object)."""
    model, ja = library.rule_model, lang == "ja"
    lang = "ja" if ja else "en"
    template = library.templates.get(contract)
    roles = {r["id"]: r["label"] for r in template.roles} if template else {}

    def thing(obj: str) -> str:
        return ((template.rule_objects if template else {}).get(obj) or model["objects"][obj])[lang]

    def act_on(act: str, obj: str) -> str:
        words = model["acts"][act][lang]
        if ja:
            return f"{thing(obj)}を{words}"
        return words.replace(" it", f" {thing(obj)}", 1) if " it" in f"{words} " else f"{words} ({thing(obj)})"

    def party(role: str) -> str:
        return roles[role]["ja"] if ja and role in roles else role

    def where(rule) -> str:
        clause = library.clauses[rule.clause]
        chosen = ", ".join(_decider_value(values, d) for d in rule.deciders if d.partition(".")[0] in values) or \
            ("この契約類型の全ての草案に含まれる" if ja else "included in every draft of this type")
        heading = (clause.heading or {}).get(lang, rule.clause)
        return f"'{rule.clause}'（{heading}、{rule.file}、{chosen}）" if ja else f"'{rule.clause}' ({heading}; {rule.file}; {chosen})"

    def says(rule) -> str:
        return f"{where(rule)}は「{model['modalities'][rule.modality]['ja']}」とする" if ja else \
            f"{where(rule)} says {MODALITY_WORDS[rule.modality]}"

    time = model["times"][conflict.time][lang]
    if conflict.kind == "disagree":
        if ja:
            return (f"二つの条項が矛盾している。{thing(conflict.object)}：{party(conflict.party)}は、{time}、"
                    f"{act_on(conflict.act, conflict.object)}ができるか。{says(conflict.first)}が、{says(conflict.second)}")
        return (f"two articles contradict each other. {thing(conflict.object)}: may the {party(conflict.party)}"
                f" {model['acts'][conflict.act]['en']} {time}? {says(conflict.first)}, but {says(conflict.second)}")
    rule = conflict.first
    parties = [p for p in rule.parties if p in roles] if roles else list(rule.parties)
    if ja:
        does = f"{rule.premise['ja']}。これは" if rule.premise else \
            f"{'・'.join(party(p) for p in parties)}が{act_on(rule.acts[0], rule.objects[0])}を認めており、これは"
        base = f"{party(conflict.party)}が{time}、{act_on(conflict.act, conflict.object)}ができること"
        if conflict.kind == "no-base":
            return (f"二つの条項が矛盾している：{where(rule)}は{does}{base}を前提とするが、{says(conflict.second)}"
                    + ("" if rule.premise else "ため、それは生じ得ないか、又は零となる"))
        return (f"二つの条項が矛盾している：{where(rule)}は{does}{party(conflict.party)}が"
                f"{act_on(conflict.act, conflict.object)}ができることを前提とする。{where(conflict.second)}はこれを"
                f"{model['times']['after-end']['ja']}も「{model['modalities'][conflict.second.modality]['ja']}」とするが、"
                f"'{rule.clause}' は本契約の有効期間の終了とともに適用されなくなる。その基礎が続く限り適用されなければならない"
                "（その規則を 'always' とし、本文にもその旨を定める）")
    does = rule.premise["en"] if rule.premise else \
        f"lets the {'/'.join(party(p) for p in parties)} {act_on(rule.acts[0], rule.objects[0])}"
    base = f"the {party(conflict.party)} may {act_on(conflict.act, conflict.object)}"
    what = f"{where(rule)} {does}, which presupposes that {base}"
    if conflict.kind == "no-base":
        return (f"two articles contradict each other: {what} {time}, but {says(conflict.second)}"
                + ("" if rule.premise else ", so it could never arise or would be nil"))
    return (f"two articles contradict each other: {what}; {says(conflict.second)} to that"
            f" {model['times']['after-end']['en']} too, but '{rule.clause}' stops at the end of the term: it must"
            f" apply for as long as its base does (its rule at 'always', and its text saying so)")


MODALITY_WORDS = {"allowed": "yes", "consent": "only with consent", "forbidden": "no"}


def _decider_value(values: dict, decider: str) -> str:
    point_id, _, field_id = decider.partition(".")
    value = values.get(point_id)
    if field_id and isinstance(value, dict):
        value = value.get(field_id)
    if isinstance(value, (dict, list)):
        return point_id
    return f"{decider}: {_shown(value)}"


def _shown(value) -> str:
    """An answer as the answers file writes it (true/false, not Python's True/False)."""
    if isinstance(value, dict):   # a row of a list: its values, as the answers file gives them
        return "(" + ", ".join(_shown(v) for v in value.values() if v is not None) + ")"
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)
