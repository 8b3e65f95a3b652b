"""Building the library from its files: schema validation, cross-file checks, compiling every
template. Runs only when the cache is stale, so it may import what a warm build never needs."""
from __future__ import annotations

from pathlib import Path

from jinja2 import meta, nodes
from jinja2.exceptions import TemplateSyntaxError

from .errors import UserError
from .library import Clause, Decision, Library, Rule, Template, Warning
from .loading import load_yaml, position, read_text
from .render import TemplateTooComplex, compile_source, environment, expression_source
from .schema import (CLAUSE_FILE, INTERVIEW_FILE, LANGS, PACK_FILE, RULE_MODEL_FILE, STYLE_FILE, TEMPLATE_FILE, Problem,
                     did_you_mean, raise_problems, validate)
from .point_types import type_of
from .schema import COLUMN_TYPES
from .values import value_schema

BUILTIN_NAMES = {"lang", "contract", "words", "parties", "ref", "refs", "has", "schedule", "bilingual", "surviving", "range", "loop", "lipsum",
                 "dict", "cycler", "joiner", "namespace"}
COLLECTOR_NAME = "defined_terms"
SKELETON_NAMES = {"date", "title", "party", "signing"}


class LibraryBuilder:
    """Builds a library from files; with `base` (the validated core, fresh from the cache) it
    only adds a pack's files and checks what they add, which keeps `packs validate` fast."""

    def __init__(self, root: Path, base: Library | None = None):
        self.root = root
        self.library = base if base is not None else Library()
        self.messages: list[str] = []
        self.trees: dict[str, object] = {}
        self.sources: dict[str, tuple] = {}   # template name → (file, path, source)
        self.term_files: dict[str, str] = {}
        self.texts: dict[str, str] = {}       # file → its text (to place a name inside a template)
        self.unreadable: set[str] = set()     # clause IDs whose file exists but failed its checks

    # -- files ------------------------------------------------------------------------------

    def shown(self, path: Path) -> str:
        for base in (self.root, Path.cwd()):
            try:
                return str(path.resolve().relative_to(base.resolve()))
            except ValueError:
                continue
        return str(path)

    def add_pack(self, pack_dir: Path) -> None:
        """A use-case pack: pack.yaml, and its clause files (same format as the core's)."""
        pack_file = pack_dir / "pack.yaml"
        shown = self.shown(pack_file)
        inside = pack_dir.resolve()
        try:
            tree = load_yaml(read_text(pack_file, shown, inside), shown)
            data = validate(tree, PACK_FILE, shown)
        except UserError as exc:
            self.messages += [exc.args[0]] if not exc.problems else exc.problems
            return
        self.trees[shown] = tree
        if data["id"] != pack_dir.name:
            self.at(shown, ("id",), f"the pack ID '{data['id']}' must match its folder name '{pack_dir.name}'")
        data.update(dir=str(pack_dir), file=shown)
        self.library.packs[data["id"]] = data
        clauses = pack_dir / "clauses"
        if clauses.is_symlink() and not clauses.resolve().is_relative_to(inside):
            self.messages.append(f"{self.shown(clauses)}: is a link to {clauses.resolve()}, outside {inside}; "
                                 "only the pack's own files are read")
        elif clauses.is_dir():
            for path in sorted(clauses.rglob("*.yaml")):
                self.add_file(path, pack=data["id"], inside=inside)
        from .packs import example_problems
        for i, example in enumerate(data.get("examples") or []):
            target = (pack_dir / example["file"]).resolve()
            if not target.is_relative_to(inside):
                self.at(shown, ("examples", i, "file"), f"'{example['file']}' is outside the pack's folder; a pack may only use its own files")
            elif not target.is_file():
                self.at(shown, ("examples", i, "file"), f"no file '{example['file']}' in the pack")
            else:
                self.messages += example_problems(pack_dir, pack_dir / example["file"], self.shown)

    def add_file(self, path: Path, pack: str | None = None, inside: Path | None = None) -> None:
        shown = self.shown(path)
        try:
            self.texts[shown] = read_text(path, shown, inside or self.root.resolve())
            tree = load_yaml(self.texts[shown], shown)
            parts = ("clauses",) if pack else path.relative_to(self.root).parts
            if pack:
                self._add_clause(validate(tree, CLAUSE_FILE, shown), tree, shown, path, pack)
            elif parts[0] == "templates" and len(parts) > 2 and parts[1] == "styles":
                self.library.style = validate(tree, STYLE_FILE, shown)
            elif parts[0] == "templates" and parts[1] == "interview.yaml":
                self.library.ui = validate(tree, INTERVIEW_FILE, shown)
            elif parts[0] == "templates" and parts[1] == "rule-model.yaml":
                self.library.rule_model = validate(tree, RULE_MODEL_FILE, shown)
            elif parts[0] == "templates":
                self._add_template(validate(tree, TEMPLATE_FILE, shown), tree, shown, path)
            else:
                self._add_clause(validate(tree, CLAUSE_FILE, shown), tree, shown, path)
        except UserError as exc:
            self.unreadable.add(path.stem)
            self.messages += [exc.args[0]] if not exc.problems else exc.problems

    def at(self, file: str, path: tuple, message: str) -> None:
        line, col = position(self.trees[file], path) if file in self.trees else (1, 1)
        self.messages.append(f"{file}:{line}:{col}: {message}")

    def _add_clause(self, data: dict, tree, shown: str, path: Path, pack: str | None = None) -> None:
        self.trees[shown] = tree
        cid = data["id"]
        if cid != path.stem:
            self.at(shown, ("id",), f"the clause ID '{cid}' must match the file name '{path.stem}'")
        if data.get("replaces") and not pack:
            self.at(shown, ("replaces",), "only a use-case pack's clause can replace a core clause")
        if cid in self.library.clauses and not (pack and data.get("replaces")):
            hint = "; a pack's clause that replaces it says 'replaces: true'" if pack else ""
            self.at(shown, ("id",), f"clause ID '{cid}' is already used by {self.library.clauses[cid].file}{hint}")
            return
        if data.get("replaces") and cid not in self.library.clauses:
            self.at(shown, ("replaces",), f"there is no core clause '{cid}' to replace{did_you_mean(cid, self.library.clauses)}")
        if ("heading" in data) != ("variants" in data):
            self.at(shown, (), "an article needs both 'heading' and 'variants' (a file with only 'points' declares questions)")
        clause = Clause(cid, shown, data.get("heading"), data.get("select"), data.get("when"),
                        data.get("variants") or {}, data.get("guidance"), survives=data.get("survives", False))
        self.library.clauses[cid] = clause
        self._add_rules(clause, data)
        for vid, texts in clause.variants.items():
            for lang in LANGS:
                name = self._compile(shown, ("variants", vid, lang), texts[lang])
                if name and COLLECTOR_NAME in self._names(name):
                    clause.collects_terms = True
        for key in ("heading", "guidance"):   # the guideline's reasoning may differ by contract type too
            if data.get(key):
                for lang in LANGS:
                    self._compile(shown, (key, lang), data[key][lang])
        if clause.when:
            self._compile(shown, ("when",), expression_source(clause.when), expression=True)
        for i, term in enumerate(data.get("terms") or []):
            if term["id"] in self.library.terms:
                self.at(shown, ("terms", i, "id"), f"term '{term['id']}' is already declared in {self.term_files[term['id']]}")
                continue
            self.library.terms[term["id"]] = {lang: term[lang] for lang in LANGS}
            self.term_files[term["id"]] = shown
            self.library.term_homes[term["id"]] = (shown, i)
            if term.get("contracts"):
                self.library.term_contracts[term["id"]] = list(term["contracts"])
            for lang in LANGS:
                self._compile(shown, ("terms", i, lang, "definition"), term[lang]["definition"])
        for i, point in enumerate(data.get("points") or []):
            self._add_point(point, shown, ("points", i))
        for i, rule in enumerate(data.get("warnings") or []):
            self.library.warnings.append(Warning(rule["id"], shown, i, rule["when"], rule["text"]))
            self._compile(shown, ("warnings", i, "when"), expression_source(rule["when"]), expression=True)

    def _add_rules(self, clause: Clause, data: dict) -> None:
        """A clause's `rules:` (for all its variants, or those named) and each variant's own."""
        found = [(("rules", i), rule, None) for i, rule in enumerate(data.get("rules") or [])]
        found += [(("variants", vid, "rules", i), rule, vid)
                  for vid, texts in (data.get("variants") or {}).items() for i, rule in enumerate(texts.get("rules") or [])]
        for path, rule, vid in found:
            for variant in rule.get("variants") or [vid]:
                if variant is not None and variant not in clause.variants:
                    self.at(clause.file, path + ("variants",), f"no variant '{variant}' in this clause{did_you_mean(variant, clause.variants)}")
                    continue
                times = ["term", "after-end"] if rule["time"] == "always" else [rule["time"]]
                needs = None
                if rule.get("needs"):
                    base = rule["needs"]
                    at = base.get("time")
                    needs = {"objects": base["object"], "parties": base["party"], "acts": base["act"],
                             "times": ["term", "after-end"] if at in (None, "always") else [at], "is": base.get("is", "allowed"),
                             "at": at}
                clause.rules.append(Rule(clause.id, clause.file, path, variant, rule["object"], rule["party"], rule["act"], times,
                                         rule["is"], rule.get("when"), rule.get("overrides") or [], rule.get("yields") or [],
                                         needs=needs, premise=rule.get("premise")))
            if rule.get("when"):
                self._compile(clause.file, path + ("when",), expression_source(rule["when"]), expression=True)
        if isinstance(clause.survives, str):
            self._compile(clause.file, ("survives",), expression_source(clause.survives), expression=True)

    def _add_point(self, data: dict, shown: str, path: tuple) -> None:
        decision = make_decision(data, shown, path)
        if decision.id in self.library.points:
            self.at(shown, path + ("id",), f"point '{decision.id}' is already declared in {self.library.points[decision.id].file}")
            return
        self.library.points[decision.id] = decision
        for d in [decision, *decision.fields]:
            if d.when:
                self._compile(shown, d.path + ("when",), expression_source(d.when), expression=True)
            for i, option in enumerate(d.options):
                if option.get("warn_when"):
                    self._compile(shown, d.path + ("options", i, "warn_when"), expression_source(option["warn_when"]),
                                  expression=True)
                if option.get("when"):
                    self._compile(shown, d.path + ("options", i, "when"), expression_source(option["when"]), expression=True)
                    if not option.get("why"):
                        self.at(shown, d.path + ("options", i), f"option '{option['id']}' has a 'when' and needs a 'why' "
                                "(what the drafter is told when it is not available)")

    def _add_template(self, data: dict, tree, shown: str, path: Path) -> None:
        self.trees[shown] = tree
        tid = data["id"]
        if tid != path.stem:
            self.at(shown, ("id",), f"the contract type '{tid}' must match the file name '{path.stem}'")
        template = Template(tid, shown, data.get("kind", "contract"), data["title"], data.get("description"),
                            data["roles"], data["preamble"], data["articles"], data["closing"], data.get("date_line"),
                            data.get("signature"), data.get("name"), data.get("order", 100),
                            (data.get("interview") or {}).get("groups") or [], data.get("words") or {},
                            data.get("rule_objects") or {})
        self.library.templates[tid] = template
        for key in ("title", "preamble", "closing", "date_line", "signature"):
            if data.get(key):
                for lang in LANGS:
                    self._compile(shown, (key, lang), data[key][lang])

    # -- templates --------------------------------------------------------------------------

    def _compile(self, shown: str, path: tuple, source: str, expression=False) -> str | None:
        """Compile one template; its name is `file#path` and its first line is recorded so runtime
        errors point into the YAML."""
        name = f"{shown}#{'.'.join(str(p) for p in path)}"
        tree = self.trees[shown]
        line, col = position(tree, path)
        node = _node(tree, path)
        first_line = line + 1 if _is_block_scalar(node) else line
        self.library.origins[name] = (shown, first_line)
        try:
            self.library.codes[name] = compile_source(source, name)
        except TemplateSyntaxError as exc:
            bad_line = first_line + (exc.lineno or 1) - 1
            if _is_block_scalar(node):   # the column where that line's text starts
                text = (self.texts.get(shown, "").splitlines() + [""] * bad_line)[bad_line - 1]
                col = len(text) - len(text.lstrip()) + 1
            where = f"{shown}:{bad_line}:{col}"
            what = "expression" if expression else "template"
            if isinstance(exc, TemplateTooComplex):
                self.messages.append(f"{where}: the {what} is refused: {exc.message}")
            else:
                self.messages.append(f"{where}: Jinja {what} syntax error: {exc.message}")
            return None
        self.sources[name] = (shown, path, source)
        ast = _parse(source)
        for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            self.messages.append(f"{shown}:{first_line + node.lineno - 1}:1: templates cannot include, import or extend "
                                 "other templates: each text stands alone (a pack may not reach outside its files)")
            return None
        return name

    def _names(self, name: str) -> set[str]:
        return set(_undeclared(self.sources[name][2]))

    # -- cross-checks -----------------------------------------------------------------------

    def finish(self) -> Library:
        lib = self.library
        lib.templates = dict(sorted(lib.templates.items(), key=lambda kv: (kv[1].order, kv[0])))
        if not lib.style and not self.messages:
            self.messages.append("templates/styles/: no style file")
        if not lib.ui and not self.messages:
            self.messages.append("templates/interview.yaml: missing (the interview's messages)")
        for point in lib.points.values():
            if point.theme not in lib.ui.get("themes", {point.theme: None}):
                self.at(point.file, point.path + ("theme",),
                        f"unknown theme '{point.theme}'{did_you_mean(point.theme, lib.ui['themes'])}; valid: {', '.join(lib.ui['themes'])}")
        self._apply_packs()
        self._check_points()
        self._note_point_reads()
        self._check_templates()
        self._check_clauses()
        self._check_names()
        self._check_words()
        self._check_references()
        self._note_clause_points()
        self._check_rules()
        self._check_warnings()
        if self.messages:
            raise_problems(sorted(set(self.messages), key=_sort_key))
        return lib

    def _apply_packs(self) -> None:
        """A pack's defaults become the points' defaults, and its articles join the skeletons,
        for the contract types it names."""
        from .values import value_schema
        lib = self.library
        for pack in lib.packs.values():
            file = pack["file"]
            for i, contract in enumerate(pack["contracts"]):
                if contract not in lib.templates:
                    self.at(file, ("contracts", i), f"unknown contract type '{contract}'{did_you_mean(contract, lib.templates)}; valid: {', '.join(lib.templates)}")
            contracts = [c for c in pack["contracts"] if c in lib.templates]
            per_contract = {c: dict(pack.get("defaults") or {}) for c in contracts}
            for contract, values in (pack.get("defaults_for") or {}).items():
                if contract not in contracts:
                    self.at(file, ("defaults_for", contract), f"'{contract}' is not one of the pack's contract types ({', '.join(contracts)})")
                    continue
                per_contract[contract].update(values)
            for contract, values in per_contract.items():
                roles = [r["id"] for r in lib.templates[contract].roles]
                for pid, value in values.items():
                    where = ("defaults_for", contract, pid) if pid in (pack.get("defaults_for") or {}).get(contract, {}) else ("defaults", pid)
                    point = lib.points.get(pid)
                    if point is None or contract not in point.contracts:
                        self.at(file, where, f"'{pid}' is not a point of {contract}{did_you_mean(pid, [p.id for p in lib.points_for(contract)])}")
                        continue
                    problems: list[Problem] = []
                    value_schema(point, contract, roles).check(value, (), problems)
                    for p in problems:
                        self.at(file, where, f"invalid default for '{pid}': {p.message}")
                    point.defaults[contract] = value
            for name, text in (pack.get("words") or {}).items():
                for contract in contracts:
                    declared = lib.templates[contract].words
                    if name not in declared:
                        from .loading import key_position
                        line, col = key_position(self.trees[file], ("words", name))
                        self.messages.append(f"{file}:{line}:{col}: '{name}' is not a word {contract} declares (words: in "
                                             f"{lib.templates[contract].file}){did_you_mean(name, declared)}; valid: "
                                             f"{', '.join(declared) or 'none'}")
                        continue
                    declared[name] = {**declared[name], **text}
            for i, article in enumerate(pack.get("articles") or []):
                if article["id"] not in lib.clauses:
                    if article["id"] not in self.unreadable:   # else its file's own problems say why
                        self.at(file, ("articles", i, "id"), f"no clause '{article['id']}' in the pack or the core "
                                                             f"library{did_you_mean(article['id'], lib.clauses)}")
                    continue
                for contract in article.get("contracts") or contracts:
                    if contract not in contracts:
                        self.at(file, ("articles", i, "contracts"), f"'{contract}' is not one of the pack's contract types")
                        continue
                    order = lib.templates[contract].articles
                    anchor = article.get("after") or article.get("before")
                    if anchor is None:
                        self.at(file, ("articles", i), f"place the article with 'after:' or 'before:' an article of {contract}: "
                                                        f"{', '.join(order)}")
                        continue
                    if anchor not in order:
                        side = "after" if article.get("after") else "before"
                        self.at(file, ("articles", i, side), f"'{anchor}' is not an article of {contract}"
                                                             f"{did_you_mean(anchor, order)}; valid: {', '.join(order)}")
                        continue
                    if article["id"] in order:
                        continue
                    order.insert(order.index(anchor) + (1 if article.get("after") else 0), article["id"])

    def _check_points(self) -> None:
        lib = self.library
        for tid, contracts in lib.term_contracts.items():
            shown, index = lib.term_homes[tid]
            for i, contract in enumerate(contracts):
                if contract not in lib.templates:
                    self.at(shown, ("terms", index, "contracts", i),
                            f"unknown contract type '{contract}'{did_you_mean(contract, lib.templates)}; valid: {', '.join(lib.templates)}")
        for point in lib.points.values():
            for contract in point.contracts:
                if contract not in lib.templates:
                    self.at(point.file, point.path + ("contracts",),
                            f"unknown contract type '{contract}'{did_you_mean(contract, lib.templates)}; valid: {', '.join(lib.templates)}")
            for decision in [point, *point.fields]:
                self._check_decision(decision, point)

    def _check_concession_orders(self, decision: Decision, point: Decision) -> None:
        """A position offers the memo's fallbacks: each side of each contract that offers a real choice
        says, in data, which options it can give ground to, best first (a fact declares `fact: true`)."""
        shape = type_of(decision).concede_shape
        for contract in point.contracts:
            if contract not in self.library.templates or (not type_of(decision).yes_no and len(decision.option_ids(contract)) < 2):
                continue
            missing = [r["id"] for r in self.library.templates[contract].roles if r["id"] not in decision.concede]
            if missing:
                self.at(decision.file, decision.path, f"'{decision.id}' is a position in {contract} but declares no "
                        f"concession order for {', '.join(missing)}: add `concede: {{{missing[0]}: {shape}}}`, or "
                        "`fact: true` if the point records a fact")
                return
            if type_of(decision).single:
                self._check_order_agrees(decision, contract)

    def _check_order_agrees(self, decision: Decision, contract: str) -> None:
        """A side's concession order and the options' `favours` say the same: once the side has
        conceded an option that favours the other side (the memo and the review flag it as giving
        ground), no later fallback may favour the side itself."""
        from .guidance import side_of
        offered = decision.option_ids(contract)
        for role in (r["id"] for r in self.library.templates[contract].roles):
            conceded = None
            for option_id in decision.concede.get(role, ()):
                if option_id not in offered:
                    continue
                side = side_of(next(o for o in decision.options if o["id"] == option_id), contract)
                if side == role and conceded:
                    self.at(decision.file, decision.path + ("concede", role), f"in {contract}, {role}'s concession order "
                            f"puts '{option_id}', which favours {role}, after '{conceded}', which favours the other side: "
                            "reorder it, or correct the options' `favours`")
                    return
                if side not in ("neutral", role):
                    conceded = conceded or option_id

    def _check_decision(self, decision: Decision, point: Decision) -> None:
        lib = self.library
        kind = type_of(decision)
        if kind.options and not decision.options:
            self.at(decision.file, decision.path, f"'{decision.id}' is a {decision.type} and needs options")
        if kind.fields and not decision.fields and not kind.rows:   # records: its own message below
            self.at(decision.file, decision.path, f"'{decision.id}' is a {decision.type} and needs fields")
        if kind.rows:
            if not decision.fields:
                self.at(decision.file, decision.path, f"'{decision.id}' is a list of records and needs fields "
                                                      "(the columns of its schedule)")
            if not decision.schedule:
                self.at(decision.file, decision.path, f"'{decision.id}' is a list of records and needs 'schedule:' "
                                                      "(the title of its schedule, {ja: …, en: …})")
            for column in decision.fields:
                if column.type not in COLUMN_TYPES or not column.label:
                    self.at(column.file, column.path, f"a column of a list of records is text, int or choice, with "
                                                      f"a label {{ja: …, en: …}} (its heading in the schedule)")
        elif decision.schedule:
            self.at(decision.file, decision.path + ("schedule",), f"'schedule:' is for a list of records "
                                                                  f"(type: records), not a {decision.type}")
        if decision.translate:
            default = decision.default
            if not kind.translatable:
                self.at(decision.file, decision.path + ("translate",), f"'translate: true' is for a text (a name written "
                                                                       f"differently in Japanese and English), not a {decision.type}")
            elif decision.has_default and default is not None and not (isinstance(default, dict) and set(default) == set(LANGS)):
                self.at(decision.file, decision.path + ("default",), f"'{decision.id}' is written differently in Japanese and "
                                                                     "English (translate: true): give its default as {ja: …, en: …}")
        for where, value in language_default_items(decision):
            if not kind.single:
                self.at(decision.file, decision.path + ("language_defaults",), "'language_defaults' is for a choice")
                break
            if value not in decision.option_ids():
                self.at(decision.file, decision.path + tuple(where.split(".")), f"'{value}' is not an option of "
                        f"'{decision.id}'{did_you_mean(str(value), decision.option_ids())}; options: {', '.join(decision.option_ids())}")
        for role, order in decision.concede.items():
            where = decision.path + ("concede", role)
            if kind.yes_no:
                if sorted(map(repr, order)) not in (["False", "True"], ["True"], ["False"]):
                    self.at(decision.file, where, f"'{decision.id}' is a yes/no point: its concession order for {role} is "
                            "[true, false] or [false, true], that side's best first, or [true] or [false] where the "
                            "side never gives it up")
                continue
            if not kind.options:
                self.at(decision.file, where, f"'{decision.id}' is a {decision.type}: only a choice, a multi-select or "
                        "a yes/no point has a concession order")
                continue
            unknown = [o for o in order if not isinstance(o, str) or o not in decision.option_ids()]
            if unknown:
                self.at(decision.file, where, f"'{unknown[0]}' is not an option of "
                        f"'{decision.id}'{did_you_mean(str(unknown[0]), decision.option_ids())}; options: {', '.join(decision.option_ids())}")
            elif len(set(order)) != len(order):
                self.at(decision.file, where, f"the concession order of '{decision.id}' for {role} names an option twice")
        if kind.position and not decision.fact and not point.fact:
            self._check_concession_orders(decision, point)
        seen = set()
        for i, option in enumerate(decision.options):
            if option["id"] in seen:
                self.at(decision.file, decision.path + ("options", i, "id"), f"option '{option['id']}' is declared twice")
            seen.add(option["id"])
            roles = {r["id"] for c in point.contracts if c in lib.templates for r in lib.templates[c].roles} | {"neutral"}
            favours = option.get("favours")
            for role in ([favours] if isinstance(favours, str) else (favours or {}).values()):
                if role not in roles:
                    self.at(decision.file, decision.path + ("options", i, "favours"),
                            f"'{role}' is not a role of {', '.join(point.contracts)}; valid: {', '.join(sorted(roles))}")
        for contract in point.contracts if decision is point else []:
            if contract not in lib.templates:
                continue
            roles = [r["id"] for r in lib.templates[contract].roles]
            for lang in LANGS:
                for key, value in ([("default", decision.default)] if decision.has_default else []) + \
                        [(f"defaults.{c}", v) for c, v in decision.defaults.items() if c == contract] + \
                        [(f"perspective_defaults.{r}", v) for r, v in decision.perspective_defaults.items() if r in roles] + \
                        language_default_items(decision):
                    problems: list[Problem] = []
                    from .values import pick_default
                    value_schema(decision, contract, roles).check(pick_default(decision, value, lang), (), problems)
                    for p in problems:
                        self.at(decision.file, decision.path + tuple(key.split(".")), f"invalid default for '{decision.id}' in {contract}: {p.message}")

    def _check_templates(self) -> None:
        lib = self.library
        for template in lib.templates.values():
            for i, cid in enumerate(template.articles):
                clause = lib.clauses.get(cid)
                if clause is None:
                    self.at(template.file, ("articles", i), f"no clause '{cid}'{did_you_mean(cid, lib.clauses)}")
                elif not clause.is_article:
                    self.at(template.file, ("articles", i), f"'{cid}' declares points only and has no article text")
            if template.groups and template.file in self.trees:
                self._check_groups(template)

    def _check_groups(self, template) -> None:
        """The interview's groups name points the contract type asks, each once, in an order that
        asks every point after the points its condition (or a field's) reads."""
        lib = self.library
        rest = [p.id for p in lib.points_in_order(template.id) if p.id not in
                 {pid for g in template.groups for pid in g["points"]}]   # (the rest)
        own = {p.id: p for p in lib.points_for(template.id)}
        choices = sorted(p.id for p in lib.points_for(template.id) if p.ask)
        seen_groups: dict[str, int] = {}
        home: dict[str, tuple] = {}     # point → where a group names it
        for gi, group in enumerate(template.groups):
            if group["id"] in seen_groups or group["id"] == "rest":
                why = ("is the last group's, of the points no group names" if group["id"] == "rest"
                       else f"is already group {seen_groups[group['id']] + 1}'s")
                self.at(template.file, ("interview", "groups", gi, "id"), f"the group ID '{group['id']}' {why}")
            seen_groups.setdefault(group["id"], gi)
            for pi, pid in enumerate(group["points"]):
                where = ("interview", "groups", gi, "points", pi)
                if pid not in own:
                    self.at(template.file, where, f"'{pid}' is not a point of {template.id}{did_you_mean(pid, choices)}; "
                                                  f"valid: {', '.join(choices)}")
                elif not own[pid].ask:
                    self.at(template.file, where, f"'{pid}' is never asked (ask: false): a group names the questions "
                                                  f"the interview asks; valid: {', '.join(choices)}")
                elif pid in home:
                    free = [c for c in choices if c not in {q for g in template.groups for q in g["points"]}]
                    self.at(template.file, where, f"'{pid}' is already in the group '{template.groups[home[pid][2]]['id']}': "
                                                  "a point belongs to one group; points no group names: "
                                                  f"{', '.join(free) or 'none'}")
                else:
                    home[pid] = where + (gi,)
        order = [p.id for p in lib.points_in_order(template.id)]
        for index, pid in enumerate(order):
            for later in sorted(r for r in own[pid].reads if r in order and order.index(r) > index
                                and pid not in own[r].reads):      # (two that read each other: either order)
                if pid in home:
                    where = home[pid][:-1]
                    fix = (f"name '{later}' in this group before '{pid}', or in an earlier group" if later in rest else
                           f"move '{later}' before it, or '{pid}' after it")
                else:
                    where = ("interview",)
                    fix = f"name both in a group, '{later}' first"
                self.at(template.file, where, f"'{pid}' would be asked before '{later}', which its condition reads: {fix}")

    def _note_point_reads(self) -> None:
        """Each point learns the other points its condition, or a field's, reads (the interview
        asks those first)."""
        lib = self.library
        by_name = {p.id.replace("-", "_"): p.id for p in lib.points.values()}
        for point in lib.points.values():
            if point.file not in self.trees:
                continue   # a core point in a pack's build: noted with the core library
            reads = set()
            for d in [point, *point.fields]:
                name = f"{point.file}#{'.'.join(str(x) for x in d.path + ('when',))}"
                if d.when and name in self.sources:
                    siblings = {f.id for f in point.fields} if d is not point else set()
                    reads |= {by_name[n] for n in self._names(name) - siblings if n in by_name}
            point.reads = sorted(reads - {point.id})

    def _check_clauses(self) -> None:
        lib = self.library
        for clause in lib.clauses.values():
            if not clause.is_article:
                continue
            used_in = [t.id for t in lib.templates.values() if clause.id in t.articles]
            if not clause.select:
                if set(clause.variants) != {"default"}:
                    self.at(clause.file, ("variants",), "a clause without 'select' has exactly one variant, named 'default'")
                continue
            point_id, _, field_id = clause.select.partition(".")
            point = lib.points.get(point_id)
            decision = point.field(field_id) if point and field_id else point
            if decision is None:
                self.at(clause.file, ("select",), f"'{clause.select}' is not a declared point{did_you_mean(point_id, lib.points)}")
                continue
            if not type_of(decision).single:
                self.at(clause.file, ("select",), f"'{clause.select}' is a {decision.type}; only a choice can select variants")
                continue
            needed = {o for c in used_in for o in decision.option_ids(c)}
            # with `when`, an option the condition rules out needs no variant (checked at build)
            for option in sorted(needed - set(clause.variants)) if not clause.when else []:
                self.at(clause.file, ("variants",), f"no variant for option '{option}' of '{clause.select}'")
            for vid in clause.variants:
                if vid not in decision.option_ids():
                    self.at(clause.file, ("variants", vid),
                            f"no option of '{clause.select}' selects variant '{vid}'{did_you_mean(vid, decision.option_ids())}; options: {', '.join(decision.option_ids())}")

    def _check_references(self) -> None:
        """ref('x'), refs([...]) and has('x') must name clauses that exist somewhere."""
        lib = self.library
        for name, (shown, path, source) in self.sources.items():
            ast = _parse(source)
            for call in ast.find_all(nodes.Call):
                if isinstance(call.node, nodes.Name) and call.node.name == "schedule":
                    self._check_schedule_call(name, call)
                    continue
                if not (isinstance(call.node, nodes.Name) and call.node.name in ("ref", "refs", "has") and call.args):
                    continue
                arg = call.args[0]
                targets = [arg.value] if isinstance(arg, nodes.Const) else \
                    [i.value for i in arg.items if isinstance(i, nodes.Const)] if isinstance(arg, (nodes.List, nodes.Tuple)) else []
                for target in targets:
                    if target not in lib.clauses and target not in self.unreadable:
                        self.messages.append(f"{self._in_source(name, call.lineno, target)}: {call.node.name}('{target}'): "
                                             f"no clause '{target}'{did_you_mean(target, lib.clauses)}")

    def _check_schedule_call(self, name: str, call) -> None:
        """schedule('point') or schedule('point.field') names a list of records (type: records)."""
        lib = self.library
        arg = call.args[0] if call.args else None
        target = arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str) else None
        point_id, _, field_id = (target or "").partition(".")
        decision = lib.points.get(point_id)
        if decision is not None and field_id:
            decision = decision.field(field_id)
        if decision is None or not type_of(decision).rows:
            records = [p.id for p in lib.points.values() if type_of(p).rows]
            records += [f"{p.id}.{f.id}" for p in lib.points.values() for f in p.fields if type_of(f).rows]
            self.messages.append(f"{self._in_source(name, call.lineno, target or 'schedule')}: schedule("
                                 f"{repr(target) if target else '…'}): not a list of records (type: records)"
                                 f"{did_you_mean(target or '', records)}; lists of records: {', '.join(records) or 'none'}")

    def _note_clause_points(self) -> None:
        """Which decision points each article implements: the one that selects it first, then the
        points its own file declares (the article's own questions), then every other point its texts
        read (what it depends on)."""
        lib = self.library
        by_name = {p.id.replace("-", "_"): p.id for p in lib.points.values()}
        texts_by_file: dict[str, list[str]] = {}
        for name, (shown, path, _source) in self.sources.items():
            if path[0] == "variants":
                texts_by_file.setdefault(shown, []).append(name)
        for clause in lib.clauses.values():
            if not clause.is_article or clause.file not in texts_by_file:
                continue
            found = [clause.select.partition(".")[0]] if clause.select else []
            read = {by_name[used] for name in texts_by_file[clause.file] for used in self._names(name) if used in by_name}
            own = [p.id for p in lib.points.values() if p.file == clause.file]   # in the order the file declares them
            for pid in [*(p for p in own if p in read), *sorted(read - set(own))]:
                if pid not in found:
                    found.append(pid)
            clause.points = found

    def _check_rules(self) -> None:
        """The words of every rule are the rule model's, its parties are roles of the contract types
        that use the clause, and what it overrides or yields to is a clause. Each rule also learns
        the points that put it in a draft (for messages: which answers chose both sides)."""
        lib = self.library
        model = lib.rule_model
        if not model:
            if any(c.rules for c in lib.clauses.values()) and not self.messages:
                self.messages.append("templates/rule-model.yaml: missing (the words clause rules may use)")
            return
        by_name = {p.id.replace("-", "_"): p.id for p in lib.points.values()}
        for template in lib.templates.values():
            for word in template.rule_objects:
                if template.file in self.trees and word not in model["objects"]:
                    self.at(template.file, ("rule_objects", word), f"'{word}' is not one of the rule model's objects"
                            f"{did_you_mean(word, model['objects'])}; valid: {', '.join(model['objects'])} "
                            "(templates/rule-model.yaml)")
        for clause in lib.clauses.values():
            if clause.file not in self.trees:
                continue   # checked when the core library was built (a pack's build adds only its own)
            roles = {r["id"] for t in lib.templates.values() if clause.id in t.articles for r in t.roles}
            if clause.when:
                clause.when_reads = [by_name[n] for n in sorted(self._names(f"{clause.file}#when")) if n in by_name] \
                    if f"{clause.file}#when" in self.sources else []
            for rule in clause.rules:
                base = rule.needs or {}
                if rule.premise and not rule.needs:
                    self.at(rule.file, rule.path + ("premise",), "a 'premise' says what the article does that presupposes "
                            "its base: it needs 'needs:' (the base)")
                for where, key, words, values in (((), "object", "objects", rule.objects), ((), "act", "acts", rule.acts),
                                                  (("needs",), "object", "objects", base.get("objects", [])),
                                                  (("needs",), "act", "acts", base.get("acts", []))):
                    for word in values:
                        if word not in model[words]:
                            self.at(rule.file, rule.path + where + (key,), f"'{word}' is not one of the rule model's {words}"
                                    f"{did_you_mean(word, model[words])}; valid: {', '.join(model[words])} "
                                    "(templates/rule-model.yaml)")
                for where, parties in (((), rule.parties), (("needs",), base.get("parties", []))):
                    for role in parties:
                        if roles and role not in roles:
                            self.at(rule.file, rule.path + where + ("party",), f"'{role}' is not a role of the contract types "
                                    f"that use '{clause.id}'{did_you_mean(role, roles)}; valid: {', '.join(sorted(roles))}")
                for key in ("overrides", "yields"):
                    for target in getattr(rule, key):
                        if target not in lib.clauses:
                            self.at(rule.file, rule.path + (key,), f"no clause '{target}'{did_you_mean(target, lib.clauses)}")
                if rule.when and rule.code_name not in self.sources:
                    continue   # a core rule, checked with the core library (a pack's check has only its own sources)
                deciders = [clause.select.partition(".")[0]] if clause.select else []
                if rule.when and rule.code_name in self.sources:   # (one that does not compile is reported)
                    deciders += [by_name[n] for n in sorted(self._names(rule.code_name)) if n in by_name]
                rule.deciders = list(dict.fromkeys(deciders + clause.when_reads))

    def _check_warnings(self) -> None:
        """Every caution evaluates, for each contract type that has the points it reads, with the
        defaults and with each option of each point it reads: one that fails is an error here,
        never a caution silently not shown."""
        from .answers import current_values
        from .render import render_code
        lib = self.library
        by_name = {p.id.replace("-", "_"): p.id for p in lib.points.values()}
        for rule in lib.warnings:
            if rule.code_name not in self.sources:
                continue
            rule.reads = [by_name[n] for n in sorted(self._names(rule.code_name)) if n in by_name]
            for contract, template in lib.templates.items():
                points = {p.id: p for p in lib.points_for(contract)}
                if not rule.reads or any(r not in points for r in rule.reads):
                    continue
                roles = [r["id"] for r in template.roles]
                base = current_values(lib, contract, "ja", {}, roles)
                for pid in rule.reads:   # a mapping field with no default: as if its first option were chosen
                    if type_of(points[pid]).has_parts and isinstance(base.get(pid), dict):
                        base[pid] = {**{f.id: f.option_ids(contract)[0] for f in points[pid].fields
                                        if type_of(f).single and f.options}, **base[pid]}
                samples = [base] + [{**base, r: o} for r in rule.reads for o in points[r].option_ids(contract)
                                    if type_of(points[r]).single]
                for values in samples:
                    if any(r not in values for r in rule.reads):
                        continue
                    context = {**{k.replace("-", "_"): v for k, v in values.items()}, "contract": contract}
                    try:
                        render_code(lib.codes[rule.code_name], context, rule.code_name)
                    except Exception as exc:
                        shown = {r: values[r] for r in rule.reads}
                        self.at(rule.file, ("warnings", rule.index, "when"),
                                f"the caution '{rule.id}' cannot be evaluated in {contract} with {shown}: {exc}")
                        break

    def _check_names(self) -> None:
        lib = self.library
        known = set(BUILTIN_NAMES) | {p.id.replace("-", "_") for p in lib.points.values()}
        known |= {r["id"].replace("-", "_") for t in lib.templates.values() for r in t.roles}
        for name, (shown, path, _source) in self.sources.items():
            allowed = known | ({COLLECTOR_NAME} if path[0] == "variants" else set())
            if shown.startswith("templates/"):
                allowed |= SKELETON_NAMES
            if path[-1] == "when" and len(path) > 1 and path[0] == "points":
                # a field's `when` reads its sibling fields
                point = next((p for p in lib.points.values() if p.file == shown and p.path == path[:2]), None)
                allowed |= {f.id for f in point.fields} if point else set()
            missing = self._names(name) - allowed
            if not missing:
                continue
            ast = environment().parse(self.sources[name][2])
            for word in sorted(missing):
                lineno = min((n.lineno for n in ast.find_all(nodes.Name) if n.name == word), default=1)
                self.messages.append(f"{self._in_source(name, lineno, word)}: '{word}' is not a point, role or helper"
                                     f"{did_you_mean(word, allowed)}")

    def _check_words(self) -> None:
        """`words.<name>` is the contract type's word: every contract type that drafts the text
        (its skeleton, or a clause in its articles, a pack's included) declares it in `words:`."""
        lib = self.library
        by_file = {}
        for clause in lib.clauses.values():
            by_file.setdefault(clause.file, []).append(clause.id)
        for name, (shown, path, source) in self.sources.items():
            if "words" not in self._names(name):
                continue
            if shown in by_file:
                contracts = [t for t in lib.templates.values() if any(c in t.articles for c in by_file[shown])]
            else:
                contracts = [t for t in lib.templates.values() if t.file == shown]
            ast = _parse(source)
            getattrs = [g for g in ast.find_all(nodes.Getattr) if isinstance(g.node, nodes.Name) and g.node.name == "words"]
            uses = [(g.attr, g.lineno) for g in getattrs]
            named = {id(g.node) for g in getattrs}
            bare = [n.lineno for n in ast.find_all(nodes.Name) if n.name == "words" and id(n) not in named]
            if not contracts or path[0] not in ("variants", "terms", "heading", "preamble", "closing", "date_line",
                                                   "signature", "title"):
                self.messages.append(f"{self._in_source(name, (uses or [('', 1)])[0][1], 'words')}: 'words' are a contract "
                                     "type's words, for the texts of its articles and skeleton only (no contract type "
                                     "drafts this text)")
                continue
            for lineno in bare:
                self.messages.append(f"{self._in_source(name, lineno, 'words')}: write one word, words.<name> "
                                     f"(declared: {', '.join(sorted({w for t in contracts for w in t.words})) or 'none'})")
            for word, lineno in uses:
                lacking = [t for t in contracts if word not in t.words]
                if not lacking:
                    continue
                one = len(lacking) == 1
                declared = sorted({w for t in lacking for w in t.words})
                self.messages.append(f"{self._in_source(name, lineno, 'words.' + word)}: 'words.{word}' is not declared by "
                                     f"the contract type{'' if one else 's'} {', '.join(t.id for t in lacking)}, which "
                                     f"draft{'s' if one else ''} this text (words: in "
                                     f"{lacking[0].file if one else 'templates/<type>.yaml'}){did_you_mean(word, declared)}; "
                                     f"declared: {', '.join(lacking[0].words if one else declared) or 'none'}")

    def _in_source(self, name: str, lineno: int, word: str) -> str:
        """`file:line:col` of `word` on line `lineno` of template `name`, as it stands in the YAML file
        (the line of a block text's own line, not of its `ja: |`)."""
        import re

        shown, path, _source = self.sources[name]
        first_line = self.library.origins.get(name, (shown, 1))[1]
        line = first_line + lineno - 1
        lines = self.texts.get(shown, "").splitlines()
        if not 0 < line <= len(lines):
            line, col = position(self.trees[shown], path)
            return f"{shown}:{line}:{col}"
        found = re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", lines[line - 1])
        return f"{shown}:{line}:{found.start() + 1 if found else 1}"


_parsed: dict = {}
_undeclared_names: dict = {}


def _parse(source: str):
    """A template's syntax tree, parsed once per text for the checks that only search it."""
    ast = _parsed.get(source)
    if ast is None:
        ast = _parsed[source] = environment().parse(source)
    return ast


def _undeclared(source: str) -> frozenset:
    names = _undeclared_names.get(source)
    if names is None:
        ast = environment().parse(source)      # a tree of its own: the analysis folds constants in it
        # names assigned in a branch ({% if %}{% set x %}) count as declared
        stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
        names = _undeclared_names[source] = frozenset(meta.find_undeclared_variables(ast) - stored)
    return names


def language_default_items(decision) -> list:
    """(where, value) of each default a point or field gives per draft language (`language_defaults`;
    for ja+en, one per answer to prevailing-language, or one for both columns)."""
    items = []
    for language, value in decision.language_defaults.items():
        if language == "ja+en" and isinstance(value, dict):
            items += [(f"language_defaults.ja+en.{k}", v) for k, v in value.items()]
        else:
            items.append((f"language_defaults.{language}", value))
    return items


def make_decision(data: dict, shown: str, path: tuple) -> Decision:
    fields = [make_decision(f, shown, path + ("fields", i)) for i, f in enumerate(data.get("fields") or [])]
    return Decision(
        id=data["id"], type=data["type"], file=shown, path=path, label=data.get("label"),
        question=data.get("question"), note=data.get("note"), more=data.get("more"),
        options=data.get("options") or [], default=data.get("default"), defaults=data.get("defaults") or {},
        perspective_defaults=data.get("perspective_defaults") or {},
        language_defaults=data.get("language_defaults") or {},
        nullable=bool(data.get("nullable")), multiline=bool(data.get("multiline")), min=data.get("min"), max=data.get("max"), when=data.get("when"),
        contracts=data.get("contracts") or [], theme=data.get("theme"), fields=fields,
        has_default="default" in data, ask=data.get("ask", True), carry=data.get("carry", True), keys=data.get("keys") or [],
        form=data.get("form", "text"), translate=bool(data.get("translate")), fact=bool(data.get("fact")), concede=data.get("concede") or {},
        schedule=data.get("schedule"),
    )


def _node(tree, path):
    node = tree
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _is_block_scalar(node) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
    return isinstance(node, (LiteralScalarString, FoldedScalarString))


def _sort_key(message: str):
    file, _, rest = message.partition(":")
    line = rest.split(":", 1)[0]
    return (file, int(line) if line.isdigit() else 0, message)
