"""Finding use-case packs: the shipped ones in usecases/, then every folder named by --pack-path
or the CONTRACTKIT_PACK_PATH variable (several, separated like PATH)."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError


def search_path(extra: list[Path] | tuple = ()) -> list[Path]:
    from .library import data_root

    roots = [data_root() / "usecases", *map(Path, extra)]
    roots += [Path(p) for p in os.environ.get("CONTRACTKIT_PACK_PATH", "").split(os.pathsep) if p]
    return roots


def find_packs(extra=()) -> dict[str, Path]:
    """Pack ID → folder; a folder directly holding pack.yaml counts as a pack too."""
    found: dict[str, Path] = {}
    for root in search_path(extra):
        candidates = [root] if (root / "pack.yaml").is_file() else sorted(root.iterdir()) if root.is_dir() else []
        for folder in candidates:
            if (folder / "pack.yaml").is_file():
                found.setdefault(folder.name, folder)
    return found


def find_pack(pack_id: str, extra=()) -> Path:
    from .schema import did_you_mean

    packs = find_packs(extra)
    if pack_id not in packs:
        raise UserError(f"no use-case pack '{pack_id}'{did_you_mean(pack_id, packs)}; packs found: "
                        f"{', '.join(packs) or 'none'} (add folders with --pack-path or CONTRACTKIT_PACK_PATH)")
    return packs[pack_id]


def pack_folders(path: Path | None, extra=()) -> list[Path]:
    """The packs a `packs validate|test [PATH]` call means: PATH's pack, the packs in PATH, or all."""
    if path is None:
        return list(find_packs(extra).values())
    path = Path(path)
    if (path / "pack.yaml").is_file():
        return [path]
    if path.is_file() and path.name == "pack.yaml":
        return [path.parent]
    folders = sorted(p for p in path.iterdir() if (p / "pack.yaml").is_file()) if path.is_dir() else []
    if not folders:
        raise UserError(f"{path}: no pack here (a pack is a folder holding pack.yaml)")
    return folders


def validate_pack(folder: Path):
    """The library with this pack, or the UserError listing every problem."""
    from .library import load_library
    return load_library(packs=[folder])


def example_problems(pack_dir: Path, path: Path, shown=str) -> list[str]:
    """What is wrong with where a pack's example reads from: the example and every file its
    `from:` chain names must be regular files inside the pack's folder."""
    from .loading import load_data, position, read_text
    from .stages import MAX_CHAIN

    inside, seen, problems = Path(pack_dir).resolve(), set(), []
    while path.resolve() not in seen and len(seen) <= MAX_CHAIN:
        seen.add(path.resolve())
        where = shown(path)
        try:
            tree = load_data(read_text(path, where, inside), where)
        except UserError as exc:
            return problems + [str(exc)]
        earlier = tree.get("from") if isinstance(tree, dict) else None
        if not isinstance(earlier, str):
            break
        target = path.parent / earlier
        if not target.resolve().is_relative_to(inside):
            line, col = position(tree, ("from",))
            problems.append(f"{where}:{line}:{col}: from: '{earlier}' is outside the pack's folder; "
                            "a pack's example may only build on files of its own pack")
            break
        if not target.exists():
            break           # the build reports the missing file, at its place
        path = target
    return problems


def test_pack(folder: Path, library=None) -> dict:
    """Build every example of a pack and check its expectations; report what no example reaches."""
    import tempfile

    from .build import build

    library = library or validate_pack(folder)
    pack_id = folder.name
    pack = library.packs[pack_id]
    results, stamps, chosen = [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for example in pack.get("examples") or []:
            path = folder / example["file"]
            failures = example_problems(folder, path)
            try:
                if failures:
                    raise UserError(failures.pop())
                result = build(path, Path(tmp) / (path.stem + ".docx"), force=True, library=library)
                text = _draft_text(result.output)
                stamps += result.stamp
                failures += [f"missing text: {t}" for t in example.get("contains") or [] if t not in text]
                failures += [f"text that must not appear: {t}" for t in example.get("absent") or [] if t in text]
                failures += [f"clause not in the draft: {c}" for c in example.get("clauses") or []
                             if c not in result.stamp and c not in {s.split(':')[0] for s in result.stamp}]
                from .answers import load_answers
                for pid, value in load_answers(path, library).values.items():
                    fields = value.items() if isinstance(value, dict) else [(None, value)]
                    for field_id, field_value in fields:
                        key = f"{pid}.{field_id}" if field_id else pid
                        for v in field_value if isinstance(field_value, list) else [field_value]:
                            if isinstance(v, (str, bool)):
                                chosen.setdefault(key, set()).add(v)
            except UserError as exc:
                failures.append(str(exc))
            results.append({"file": str(path), "failures": failures})
    own = [c for c in library.clauses.values() if c.file.startswith(str(Path(pack["file"]).parent))]
    unreached = [f"{c.id}:{v}" for c in own if c.is_article for v in c.variants if f"{c.id}:{v}" not in stamps]
    own_points = [p for p in library.points.values() if p.file.startswith(str(Path(pack["file"]).parent))]
    unreached += [f"{p.id}={o}" for p in own_points for o in p.option_ids() if o not in chosen.get(p.id, set())]
    unreached += [f"{p.id}.{f.id}={o}" for p in own_points for f in p.fields for o in f.option_ids()
                  if o not in chosen.get(f"{p.id}.{f.id}", set())]
    return {"pack": pack_id, "examples": results, "unreached": unreached}


def _draft_text(path: Path) -> str:
    """The draft's text as Word reads it, a line per paragraph."""
    from .reading import main_text
    return main_text(path)


def new_pack(pack_id: str, contract: str, directory: Path, library) -> Path:
    """A scaffold that validates and builds at once: pack.yaml, one clause with its question,
    one example answers file per language."""
    from .schema import KEBAB, did_you_mean

    if not KEBAB.match(pack_id):
        raise UserError(f"'{pack_id}' is not a valid pack ID: use lower-case letters, digits and hyphens (e.g. cold-chain-logistics)")
    if contract not in library.templates:
        raise UserError(f"'{contract}' is not a contract type{did_you_mean(contract, library.templates)}; valid: {', '.join(library.templates)}")
    final = Path(directory) / pack_id
    if final.exists():
        raise UserError(f"{final} already exists")
    import shutil
    import tempfile
    Path(directory).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{pack_id}.", dir=directory))
    try:
        _write_scaffold(pack_id, contract, staging / pack_id, final, library)
        (staging / pack_id).rename(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _write_scaffold(pack_id: str, contract: str, target: Path, final: Path, library) -> None:
    from .answers_file import _yaml_value
    from .library import data_root

    scaffold = data_root() / "templates" / "pack-scaffold"
    for source in sorted(scaffold.rglob("*.yaml")):
        relative = Path(str(source.relative_to(scaffold)).replace("__PACK_ID__", pack_id))
        text = source.read_text(encoding="utf-8")
        first_article = library.templates[contract].articles[0]
        concede = "{" + ", ".join(f"{r['id']}: [with-review, without-review]" for r in library.templates[contract].roles) + "}"
        for key, value in (("__PACK_ID__", pack_id), ("__CONTRACT__", contract), ("__DIR__", str(final)),
                           ("__FIRST_ARTICLE__", first_article), ("__CONCEDE__", concede)):
            text = text.replace(key, value)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text, encoding="utf-8")
    template = library.templates[contract]
    for lang in ("ja", "en"):
        blank = "（記入してください）" if lang == "ja" else "(fill in)"
        answers = {"contract": contract, "usecase": pack_id, "language": lang, "parties": [
            {"role": r["id"], "name": blank, "address": blank, "representative": blank}
            for r in template.roles if r.get("signs", True)]}
        from .answers import evaluate
        # a point with a `when` is sampled if it applies whatever the other answers are (one that reads
        # them, e.g. only for an addendum, is left to its default or to the pack)
        samples = {p.id: _sample(library, p, contract, template, blank) for p in library.points_for(contract)
                   if p.ask and not (p.has_default or contract in p.defaults)
                   and (not p.when or evaluate(library, p, ("when",), {"contract": contract}, unknown=None) is True)}
        answers["answers"] = {pid: value for pid, value in samples.items() if value not in (None, {})}
        path = target / "examples" / f"{contract}-{lang}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        shown = final / "examples" / path.name
        from ruamel.yaml import YAML
        import io
        out = io.StringIO()
        YAML().dump(_yaml_value(answers), out)
        path.write_text(f"# {'作成例' if lang == 'ja' else 'An example'}: contractkit build {shown}\n" + out.getvalue(),
                        encoding="utf-8")
    # the English example is checked too, for the clause only (the placeholder text differs)
    pack_file = target / "pack.yaml"
    text = pack_file.read_text(encoding="utf-8")
    text += (f"  - file: examples/{contract}-en.yaml\n    contains: [(industry-specific matters)]\n"
             f"    clauses: [\"{pack_id}-notes:with-review\"]\n")
    pack_file.write_text(text, encoding="utf-8")


def _sample(library, decision, contract: str, template, blank: str):
    """A value that lets a scaffold's example build: the first option, or a 'fill in' text."""
    from .point_types import type_of
    return type_of(decision).scaffold(library, decision, contract, template, blank)



def describe_pack(library, pack_id: str, lang: str) -> list[str]:
    """What a pack sets and adds, as lines of text in `lang`."""
    pack = library.packs[pack_id]
    pack_dir = str(Path(pack["file"]).parent)

    def msg(key):
        return library.ui["messages"][key][lang]

    lines = [f"{pack['title'][lang]} ({pack_id})", pack["description"][lang], "",
             msg("pack_contracts") + " " + ", ".join(pack["contracts"])]
    defaults = dict(pack.get("defaults") or {})
    if defaults or pack.get("defaults_for"):
        lines.append(msg("pack_defaults"))
        for pid, value in defaults.items():
            lines.append(f"  {pid}: {_value_label(library, pid, value, lang)}")
        for contract, values in (pack.get("defaults_for") or {}).items():
            for pid, value in values.items():
                lines.append(f"  {pid} ({contract}): {_value_label(library, pid, value, lang)}")
    own_points = [p for p in library.points.values() if p.file.startswith(pack_dir)]
    if own_points:
        lines.append(msg("pack_questions"))
        lines += [f"  {p.id}: {(p.question or {}).get(lang, '')}" for p in own_points]
    own_clauses = [c for c in library.clauses.values() if c.file.startswith(pack_dir) and c.is_article]
    if own_clauses:
        lines.append(msg("pack_articles"))
        lines += [f"  {c.id}: {c.heading[lang]}" for c in own_clauses]
    own_terms = [t for t, (file, _) in library.term_homes.items() if file.startswith(pack_dir)]
    if own_terms:
        lines.append(msg("pack_terms"))
        lines += [f"  {library.terms[t][lang]['term']}" for t in own_terms]
    words = pack.get("words") or {}
    if words:      # the contract types' words the pack rewords for its drafts (a language left out keeps the type's)
        lines.append(msg("pack_words"))
        for name, text in words.items():
            word = (text or {}).get(lang)
            lines.append(f"  {name}: {msg('pack_word_kept') if word is None else word if word else msg('pack_word_empty')}")
    if pack.get("guidance"):
        lines.append(msg("pack_guidance"))
        lines += [f"  {msg('bullet')}{g[lang]}" for g in pack["guidance"]]
    return lines


def _value_label(library, pid: str, value, lang: str) -> str:
    point = library.points.get(pid)
    labels = {o["id"]: o["label"][lang] for o in (point.options if point else [])}
    if isinstance(value, list):
        return ("、" if lang == "ja" else ", ").join(labels.get(v, str(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return labels.get(value, str(value))
