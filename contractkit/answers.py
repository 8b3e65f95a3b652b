"""Resolving an answers file: validate it against the contract type's points, fill defaults,
drop points that do not apply, and report what is still missing."""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError, UserError
from .library import Decision, Library
from .loading import load_data, read_text
from .markers import MARKERS
from .point_types import type_of
from .schema import MAX_SHOWN, LangText, Problem, answers_envelope, did_you_mean, locate, pick_text, raise_problems
from .values import default_for, snake, value_schema

ORDER_NAMES = "甲乙丙丁戊己庚辛壬癸"


@dataclass
class Resolved:
    file: str
    contract: str
    lang: str
    parties: list                      # dicts: role, name, address, representative, short
    values: dict                       # point ID → value, for the points that apply
    origins: dict                      # point ID → "answers" | "default"
    sha256: str
    usecase: str | None = None
    perspective: str | None = None
    date: _dt.date | None = None
    warnings: list = field(default_factory=list)
    bilingual: bool = False
    selection: object = None           # rules.Selection: the articles, variants and rules of the draft
    term_order: list | None = None     # a bilingual draft's English column: the Japanese column's order of defined terms


def read_answers(path: Path, shown: str | None = None):
    """The answers file's tree (positions found when an error needs them)."""
    shown = shown or str(path)
    tree = load_data(read_text(path, shown), shown)
    if not isinstance(tree, dict):
        raise UserError(f"{shown}:1:1: an answers file is a mapping with contract, language, parties and answers")
    return tree


def load_answers(path: Path, library: Library, shown: str | None = None) -> Resolved:
    shown = shown or str(path)
    return resolve(read_answers(path, shown), library, shown, Path(path).parent)


def library_for(tree, pack_path=(), shown: str = "answers.yaml", answers_path: Path | None = None) -> Library:
    """The library an answers file needs: the core, plus its use-case pack if it names one (an
    answers file inside a pack's folder, like the pack's examples, finds that pack too)."""
    from .library import load_library

    usecase = tree.get("usecase") if isinstance(tree.get("usecase"), str) else None
    if not usecase:
        return load_library()
    from .loading import position
    from .packs import find_pack

    if answers_path is not None:
        for folder in Path(answers_path).resolve().parents:
            if (folder / "pack.yaml").is_file() and folder.name == usecase:
                pack_path = (*pack_path, folder)
                break
    try:
        pack = find_pack(usecase, pack_path)
    except UserError as exc:
        line, col = position(tree, ("usecase",))
        raise UserError(f"{shown}:{line}:{col}: {exc}") from None
    return load_library(packs=[pack])


def resolve(tree, library: Library, shown: str, base_dir: Path | None = None, lang_override: str | None = None) -> Resolved:
    """Validate and complete an answers file. A bilingual file (`language: ja+en`) is resolved once
    per language (`lang_override`), since defaults such as a court's name differ by language."""
    problems: list[Problem] = []
    envelope = answers_envelope(library.contracts).check(tree, (), problems)
    if problems or envelope is None:
        raise_problems(locate(problems, tree, shown))
    envelope = _clean(envelope)
    contract = envelope["contract"]
    template = library.templates[contract]
    roles = [r["id"] for r in template.roles]

    stage, carried = None, {}
    if envelope.get("from") is not None:
        from .stages import carried_answers, load_stage
        stage = load_stage((base_dir or Path(".")) / envelope["from"], library)
        carried = _clean(carried_answers(library, contract, stage))
        for key in ("language", "perspective", "parties"):
            if envelope.get(key) is None and key in stage:
                envelope[key] = _clean(stage[key])
    for key in ("language", "parties"):
        if envelope.get(key) is None:
            problems.append(Problem((), f"missing required key '{key}'"))
    if problems:
        raise_problems(locate(problems, tree, shown))
    lang = lang_override or envelope["language"]
    bilingual = envelope["language"] == "ja+en"
    if bilingual and not lang_override:
        lang = "ja"

    parties = _check_parties(envelope["parties"], template, problems, lang, bilingual,
                             from_stage="parties" not in tree and stage is not None)
    perspective = envelope.get("perspective")
    if perspective is not None and perspective not in roles:
        problems.append(Problem(("perspective",), f"'{perspective}' is not a role of {contract}{did_you_mean(perspective, roles)}; valid: {', '.join(roles)}"))
    usecase = envelope.get("usecase")
    if usecase is not None:
        pack = library.packs.get(usecase)
        if pack is None:
            problems.append(Problem(("usecase",), f"the use-case pack '{usecase}' is not loaded"))
        elif contract not in pack["contracts"]:
            problems.append(Problem(("usecase",), f"the pack '{usecase}' is for {', '.join(pack['contracts'])}, not {contract}"))

    given = envelope.get("answers") or {}
    applicable = {p.id: p for p in library.points_for(contract)}
    for key in given:
        if key not in applicable:
            if key in library.points:
                where = ", ".join(library.points[key].contracts)
                msg = f"point '{key}' does not apply to {contract} (it belongs to {where})"
            else:
                msg = f"unknown point '{key}'{did_you_mean(key, applicable) if len(problems) < MAX_SHOWN else ''}"
            problems.append(Problem(("answers", key), f"{msg}; points of {contract}: {', '.join(applicable)}", on_key=True))

    values, origins = {}, {}
    for pid, point in applicable.items():
        if pid in given:
            checked = value_schema(point, contract, roles, lang, bilingual).check(given[pid], ("answers", pid), problems)
            values[pid], origins[pid] = checked, "answers"
        elif pid in carried:
            stage_problems: list[Problem] = []
            checked = value_schema(point, contract, roles, lang, bilingual).check(carried[pid], (), stage_problems)
            if stage_problems:
                problems.append(Problem(("from",), f"'{pid}' from {stage['files'][-1]} does not fit {contract}: "
                                                   f"{stage_problems[0].message}; answer it in this file"))
            values[pid], origins[pid] = checked, "from"
        else:
            has, value = default_for(point, contract, lang, perspective)
            if has:
                values[pid], origins[pid] = value, "default"
    if problems:
        raise_problems(locate(problems, tree, shown))

    missing = []
    context = {snake(k): v for k, v in values.items()}
    context["bilingual"] = bilingual
    context["contract"] = contract
    # a point's `when` may read a mapping's field that only its default gives (liability-floor:
    # `liability.cap`): it reads every mapping as resolved, with its fields' defaults
    for pid, point in applicable.items():
        if type_of(point).has_parts and isinstance(values.get(pid, {}), dict):
            context[snake(pid)] = _resolve_mapping(library, point, values.get(pid) or {}, contract, lang, [], context)
    undetermined, unused = [], []
    for pid, point in applicable.items():
        applies = evaluate(library, point, ("when",), context, unknown=None) if point.when else True
        if applies is None:
            undetermined.append(point)   # reads a point that is itself missing: that one is reported first
            continue
        if not applies:
            # does not apply with these answers: kept out of the draft, and said if it was answered
            if origins.get(pid) == "answers" and _asks_something(values.get(pid)):
                unused.append((pid, _answers_read_in(point.when, values)))
            values.pop(pid, None)
            origins.pop(pid, None)
            continue
        if pid not in values and type_of(point).has_parts:
            values[pid], origins[pid] = {}, "default"   # its fields' defaults may be enough
        if pid not in values:
            missing.append(point)
        elif type_of(point).has_parts:
            values[pid] = _resolve_mapping(library, point, values[pid] or {}, contract, lang, missing, context,
                                           unused if origins.get(pid) == "answers" else None)
    if missing:
        from .loading import position
        line, col = position(tree, ("answers",)) if "answers" in tree else (1, 1)
        lines = [f"{shown}:{line}:{col}: '{m.id}' is not answered: {(m.question or m.label or {}).get(lang, '')}".rstrip(": ")
                 for m in missing]
        raise UserError(f"{shown}: {len(missing)} point(s) are not answered and have no default; add them under 'answers:'"
                        f" or run 'contractkit interview --answers {shown}'", lines)

    for point in undetermined:
        evaluate(library, point, ("when",), context)   # nothing is missing, so it reads no point at all: a library defect
    resolved_context = {**{snake(k): v for k, v in values.items()}, "bilingual": bilingual, "contract": contract}
    _check_available(library, applicable, values, origins, resolved_context, tree, shown, contract, lang)
    from .rules import select
    selection = select(library, contract, values, lang, bilingual)
    if selection.conflicts:
        _refuse_conflicts(library, contract, values, origins, selection.conflicts, tree, shown, lang)
    warnings = warnings_for(library, contract, values, explicit={p for p, o in origins.items() if o != "default"})
    warnings += [_unused_warning(library, pid, reads) for pid, reads in unused]
    # what came from earlier stages is part of what made the draft
    canonical = json.dumps({**envelope, **({"carried": carried} if carried else {})}, sort_keys=True, ensure_ascii=False, default=str)
    return Resolved(file=shown, contract=contract, lang=lang, parties=parties, values=values, origins=origins,
                    sha256=hashlib.sha256(canonical.encode()).hexdigest(), usecase=usecase,
                    perspective=perspective, date=envelope.get("date"), warnings=warnings, bilingual=bilingual,
                    selection=selection)


def _refuse_conflicts(library, contract, values, origins, conflicts, tree, shown, lang) -> None:
    """Answers whose articles contradict each other: refused at the answers that chose them, with
    the answers that would not; a contradiction the defaults alone make is the library's defect."""
    from .rules import describe, resolutions

    problems, defects = [], []
    for conflict in conflicts:
        fixes = resolutions(library, contract, values, conflict, lang, others=conflicts)
        if lang == "ja":
            how = f"。これを解消する回答：{'、'.join(fixes)}" if fixes else "。一つの回答を変えるだけでは解消しない"
        else:
            how = f"; answers that resolve it: {', '.join(fixes)}" if fixes else "; no single other answer resolves it"
        message = describe(library, conflict, values, contract, lang) + how
        chosen = [d for d in conflict.deciders if origins.get(d.partition(".")[0]) in ("answers", "from")]
        if not chosen:
            defects.append(message + " (a defect of the clause library: declare which article prevails with"
                                     " 'overrides:' or 'yields:' and say so in its text)")
            continue
        point_id, _, field_id = chosen[0].partition(".")
        if origins[point_id] == "from":
            path = ("from",)
        else:
            given = tree["answers"][point_id]
            path = ("answers", point_id, field_id) if field_id and isinstance(given, dict) and field_id in given else ("answers", point_id)
        problems.append(Problem(path, message))
    if problems:
        raise_problems(locate(problems, tree, shown))
    if defects:
        raise BuildError(f"{shown}: the draft would contradict itself:", defects)


def unavailable(library, decision: Decision, context: dict, lang: str, contract: str | None = None) -> dict[str, str]:
    """The options of a point (or field) that its `when` rules out with these answers: option → why."""
    found = {}
    offered = decision.option_ids(contract)
    for i, option in enumerate(decision.options):
        if option["id"] in offered and option.get("when") and not _option_holds(library, decision, i, context):
            found[option["id"]] = option["why"][lang]
    return found


def option_warns(library, decision: Decision, index: int, values: dict, contract: str) -> bool:
    """Whether the option's `warn` is shown with these answers: always, unless its `warn_when` says
    when (e.g. a caution about consent that an entrustment under another point makes moot)."""
    option = decision.options[index]
    if not option.get("warn"):
        return False
    if not option.get("warn_when"):
        return True
    from .render import render_code
    name = f"{decision.file}#{'.'.join(str(p) for p in decision.path + ('options', index, 'warn_when'))}"
    context = {**{snake(k): v for k, v in values.items()}, "contract": contract}
    try:
        return render_code(library.codes[name], context, name) == "1"
    except Exception as exc:
        file, line = library.origins.get(name, (decision.file, 0))
        raise BuildError(f"{file}:{line}:1: the caution's condition of option '{option['id']}' of "
                         f"'{decision.id}' cannot be evaluated: {exc}") from None


def _option_holds(library, decision: Decision, index: int, context: dict) -> bool:
    from .render import render_code
    name = f"{decision.file}#{'.'.join(str(p) for p in decision.path + ('options', index, 'when'))}"
    try:
        return render_code(library.codes[name], dict(context), name) == "1"
    except Exception as exc:
        file, line = library.origins.get(name, (decision.file, 0))
        raise BuildError(f"{file}:{line}:1: the condition of option '{decision.options[index]['id']}' of "
                         f"'{decision.id}' cannot be evaluated: {exc}") from None


def _answers_read(decision: Decision, chosen: str, values: dict) -> list[str]:
    """The answers an option's `when` reads, as the answers file gives them (`retention.mode: none`)."""
    option = next((o for o in decision.options if o["id"] == chosen), {})
    return _answers_read_in(option.get("when") or "", values)


def _asks_something(value) -> bool:
    """An answer that asks for nothing (no, none, an empty list) loses nothing when it does not apply."""
    if isinstance(value, dict):
        return any(_asks_something(v) for v in value.values())
    return bool(value) and not (isinstance(value, str) and value in ("none", "no"))


def _unused_warning(library, pid: str, reads: list[str]) -> dict:
    """An answered point whose `when` rules it out is left out of the draft: said, never silent
    (a list kept from an earlier choice would otherwise seem to be in the contract)."""
    m = library.ui["messages"]
    text = {lang: m["answer_not_used"][lang].format(
        point=pid, reads=m["answer_not_used_reads"][lang].format(answers=m["answers_sep"][lang].join(reads)) if reads else "")
        for lang in ("ja", "en")}
    return {"id": f"{pid}:not-used", "point": pid, "text": text}


def _answers_read_in(when: str, values: dict) -> list[str]:
    """The answers a `when` expression reads, as the answers file gives them (`retention.mode: none`)."""
    import re

    from .rules import _shown
    by_name = {snake(pid): pid for pid in values}
    found = []
    for name, field_id in re.findall(r"\b([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?", when or ""):
        pid = by_name.get(name)
        value = values.get(pid) if pid else None
        if field_id and isinstance(value, dict) and field_id in value:
            pid, value = f"{pid}.{field_id}", value[field_id]
        if pid and not isinstance(value, (dict, list)):
            found.append(f"{pid}: {_shown(value)}")
    return list(dict.fromkeys(found))


def _check_available(library, applicable, values, origins, context, tree, shown, contract, lang) -> None:
    """An option chosen where its `when` rules it out is refused at the answer; so is a default that
    these answers rule out (the drafter answers the point: a question, never a silent change)."""
    problems = []
    said_in = "ja" if lang == "ja" else "en"      # the answers' language, as rules.describe
    m = {k: v[said_in] for k, v in library.ui["messages"].items()}
    for pid, value in list(values.items()):
        point = applicable[pid]
        pairs = [(d, v, ("answers", pid) + sub) for d, v, sub in type_of(point).parts(point, value)
                 if type_of(d).single or type_of(d).multiple]   # each option chosen, of the point or of its fields
        for decision, answer, path in pairs:
            if not any(o.get("when") for o in decision.options):
                continue
            ruled_out = unavailable(library, decision, context, lang, contract)
            # a multi-select's every option must hold, like a choice's one
            chosen = next((c for c in answer if c in ruled_out), None) if isinstance(answer, list) else answer
            if chosen not in ruled_out:
                continue
            given = tree.get("answers", {}).get(pid) if origins.get(pid) == "answers" else None
            explicit = given is not None and (len(path) == 2 or (isinstance(given, dict) and path[2] in given))
            offered = [o for o in decision.option_ids(contract) if o not in ruled_out]
            said = dict(option=chosen, point=".".join(path[1:]), why=ruled_out[chosen], choices=m["answers_sep"].join(offered))
            if explicit:
                reads = _answers_read(decision, chosen, values)
                problems.append(Problem(path, m["option_refused"].format(
                    **said, reads=m["option_refused_reads"].format(answers=m["answers_sep"].join(reads)) if reads else "")))
            elif origins.get(pid) == "from":
                problems.append(Problem(("from",), m["option_refused_from"].format(**said)))
            else:
                where = ("answers", pid) if "answers" in tree and pid in (tree["answers"] or {}) else \
                    ("answers",) if "answers" in tree else ()
                problems.append(Problem(where, m["default_refused"].format(**said)))
    if problems:
        raise_problems(locate(problems, tree, shown))


def current_values(library, contract: str, lang: str, given: dict, roles: list[str], perspective: str | None = None,
                   bilingual: bool = False) -> dict:
    """What each point of a contract type stands at now: the answer, else its default (mapping
    fields filled from their defaults, a field's default for the draft's language read as a build
    reads it). Unvalidated: for the interview's conditions and review."""
    from .schema import plain

    values = {}
    points = library.points_for(contract)
    for point in points:
        if point.id in given:
            values[point.id] = plain(given[point.id])
        else:
            has, value = default_for(point, contract, lang, perspective)
            if has:
                values[point.id] = value
            elif type_of(point).has_parts:
                values[point.id] = {}
    context = {"bilingual": bilingual, "prevailing_language": values.get("prevailing-language")}
    for point in points:
        if type_of(point).has_parts and isinstance(values.get(point.id), dict):
            merged = dict(values[point.id])
            for f in point.fields:
                if f.id not in merged:
                    has, value = default_for(f, contract, lang, context=context)
                    if has:
                        merged[f.id] = value
            values[point.id] = merged
    return values


def warnings_for(library, contract: str, values: dict, explicit: set | None = None) -> list[dict]:
    """The guideline's cautions that these answers trigger: the `warn` of each option chosen
    (in `explicit`, when given: a default is the guideline's usual position and needs no caution),
    and every `warnings:` rule whose condition holds."""
    applicable = {p.id: p for p in library.points_for(contract)}
    found = []

    def option_warnings(decision, value, where):
        chosen = value if isinstance(value, list) else [value]
        for i, option in enumerate(decision.options):
            if option["id"] in chosen and option_warns(library, decision, i, values, contract):
                found.append({"id": f"{where}:{option['id']}", "point": where, "text": option["warn"]})

    for pid, value in values.items():
        point = applicable.get(pid)
        if point is None or (explicit is not None and pid not in explicit):
            continue
        for decision, answer, sub in type_of(point).parts(point, value):
            if decision.options and (not sub or sub[0] in (value or {})):
                option_warnings(decision, answer, ".".join((pid,) + sub))
    from jinja2.exceptions import UndefinedError

    from .render import render_code

    context = {**{snake(k): v for k, v in values.items()}, "contract": contract}   # a caution may be the type's own
    for rule in library.warnings:
        if any(point not in values for point in rule.reads):
            continue   # reads a point this contract type does not have, or one that does not apply
        try:
            holds = render_code(library.codes[rule.code_name], dict(context), rule.code_name) == "1"
        except UndefinedError:
            continue   # reads a field not answered yet, or one that does not apply (the library check
            #            evaluated every caution with every option, so this is never a broken rule)
        except Exception as exc:
            file, line = library.origins.get(rule.code_name, (rule.file, 0))
            raise BuildError(f"{file}:{line}:1: the caution '{rule.id}' cannot be evaluated with these answers: {exc}") from None
        if holds:
            found.append({"id": rule.id, "point": None, "text": rule.text})
    return found


def _check_parties(given: list, template, problems: list, lang: str | None = None, bilingual: bool = False,
                   from_stage: bool = False) -> list:
    roles = template.roles
    role_ids = [r["id"] for r in roles]
    seen: dict[str, int] = {}
    for i, party in enumerate(given):
        role = party["role"]
        if role not in role_ids:
            problems.append(Problem(("parties", i, "role"), f"'{role}' is not a role of {template.id}{did_you_mean(role, role_ids)}; valid: {', '.join(role_ids)}"))
        elif role in seen:
            problems.append(Problem(("parties", i, "role"), f"role '{role}' is listed twice"))
        seen.setdefault(role, i)
    for r in roles:
        if r.get("signs", True) and r["id"] not in seen:
            problems.append(Problem(("parties",), f"no party with role '{r['id']}' ({r['label']['en']}); {template.id} needs {', '.join(x['id'] for x in roles if x.get('signs', True))}"))
    parties = []
    order = 0
    for party in given:
        role = next((r for r in roles if r["id"] == party["role"]), None)
        if role is None:
            continue
        short = dict(role.get("short") or {})
        if "ja" not in short:
            short["ja"] = ORDER_NAMES[order]
        order += 1
        index = given.index(party)
        texts = {}
        for key in ("name", "address", "representative"):
            value = party.get(key)
            if isinstance(value, dict) and not isinstance(value, LangText):
                value = LangText(value)      # from an earlier stage's file: checked there
            texts[key] = pick_text(value, lang, bilingual, ("from",) if from_stage else ("parties", index, key), problems)
        parties.append({"role": party["role"], **texts, "short": short})
    return parties


def _resolve_mapping(library, point: Decision, given: dict, contract: str, lang: str, missing: list,
                     others: dict | None = None, unused: list | None = None) -> dict:
    """A mapping point's fields: given, else defaulted; a field whose `when` (over its siblings and
    the other answers) does not hold is dropped (and, if it was given, added to `unused` with the
    answers its condition reads); one still without a value is missing."""
    out = {}
    point_default = point.default if isinstance(point.default, dict) else {}
    for f in point.fields:
        if f.id in given:
            out[f.id] = given[f.id]
        elif f.id in point_default:
            out[f.id] = point_default[f.id]
        else:
            has, value = default_for(f, contract, lang, context=others)
            if has:
                out[f.id] = value
    for index, f in enumerate(point.fields):
        context = {**(others or {}), "contract": contract, **out}   # a field may depend on the contract type
        applies = evaluate(library, point, ("fields", index, "when"), context, unknown=None) if f.when else True
        if applies is None:
            continue   # depends on a sibling that is itself missing: that one is reported
        if not applies:
            if unused is not None and f.id in given and _asks_something(given[f.id]):
                import re

                from .rules import _shown
                siblings = [f"{point.id}.{k}: {_shown(v)}" for k, v in out.items()
                            if k != f.id and not isinstance(v, (dict, list)) and re.search(rf"\b{k}\b", f.when)]
                unused.append((f"{point.id}.{f.id}", siblings + _answers_read_in(f.when, others or {})))
            out.pop(f.id, None)
        elif f.id not in out:
            missing.append(Decision(id=f"{point.id}.{f.id}", type=f.type, file=point.file, path=f.path,
                                    label=f.label, question=f.label))
    return out


def evaluate(library, point: Decision, rel_path: tuple, context: dict, unknown: object = False):
    """A point's or field's `when`; `unknown` is returned when it reads a name that has no value."""
    from jinja2.exceptions import UndefinedError

    from .render import render_code

    name = f"{point.file}#{'.'.join(str(p) for p in point.path + rel_path)}"
    code = library.codes[name]
    try:
        return render_code(code, dict(context), name) == "1"
    except UndefinedError:
        if unknown is not False:
            return unknown
        raise BuildError(f"{library.origins.get(name, (point.file, 0))[0]}: the condition of '{point.id}' reads a point that has no value") from None
    except Exception as exc:
        file, line = library.origins.get(name, (point.file, 0))
        raise BuildError(f"{file}:{line}:1: the condition of '{point.id}' failed: {exc}") from None


def _clean(value):
    """Answers can never carry the engine's private markers."""
    if isinstance(value, str):
        return value.translate({ord(c): None for c in MARKERS})
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
