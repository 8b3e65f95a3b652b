"""The library: every clause, point, term, document skeleton and style, validated, cross-checked
and compiled once; kept in a cache keyed by the files' stats (like .pyc) so a build loads it in
a few milliseconds."""
from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import UserError

PACKAGE_DIR = Path(__file__).resolve().parent


def data_root() -> Path:
    """clauses/ and templates/ sit beside the package in a checkout, inside it when installed
    (CONTRACTKIT_DATA names another library root, e.g. a clause-library checkout under review)."""
    if os.environ.get("CONTRACTKIT_DATA"):
        return Path(os.environ["CONTRACTKIT_DATA"]).resolve()
    for root in (PACKAGE_DIR.parent, PACKAGE_DIR / "_data"):
        if (root / "clauses").is_dir() and (root / "templates").is_dir():
            return root
    raise UserError(f"contractkit's clause library is missing (looked beside {PACKAGE_DIR})")


@dataclass
class Decision:
    """A decision point (or one field of a mapping point) as declared in a data file."""

    id: str
    type: str
    file: str
    path: tuple
    label: dict | None = None
    question: dict | None = None
    note: dict | None = None
    more: dict | None = None
    options: list = field(default_factory=list)
    default: object = None
    defaults: dict = field(default_factory=dict)
    perspective_defaults: dict = field(default_factory=dict)   # role → the opening position for that side
    nullable: bool = False
    multiline: bool = False     # text: its line breaks are kept (as breaks within the paragraph)
    min: int | None = None
    max: int | None = None
    when: str | None = None
    contracts: list = field(default_factory=list)
    theme: str | None = None
    fields: list = field(default_factory=list)
    has_default: bool = False
    keys: list = field(default_factory=list)   # choice-map: the keys a per-key answer may use
    form: str = "text"          # text answers: text | noun-phrase | name (schema.AnswerText)
    carry: bool = True          # false: a later stage (`from:`) does not take this answer over
    ask: bool = True            # false: a setting with a default (packs may change it), never asked

    def option_ids(self, contract: str | None = None) -> list[str]:
        return [o["id"] for o in self.options if contract is None or not o.get("contracts") or contract in o["contracts"]]

    def field(self, field_id: str) -> "Decision | None":
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass
class Rule:
    """What one clause variant says about one kind of data or deliverable (`rules:`), expanded:
    each party may (allowed), may only with consent, or may not (forbidden) do each act on each
    object, during the term and/or after the end. `deciders` are the points that put it in the draft."""

    clause: str
    file: str
    path: tuple                 # where it stands in its file (its `when` compiles under path + ("when",))
    variant: str | None         # None: every variant of the clause
    objects: list
    parties: list
    acts: list
    times: list                 # "term", "after-end"
    modality: str
    when: str | None = None
    overrides: list = field(default_factory=list)
    yields: list = field(default_factory=list)
    deciders: list = field(default_factory=list)

    @property
    def code_name(self) -> str:
        return f"{self.file}#{'.'.join(str(p) for p in self.path)}.when"


@dataclass
class Clause:
    id: str
    file: str
    heading: dict | None
    select: str | None
    when: str | None
    variants: dict
    guidance: dict | None
    collects_terms: bool = False
    points: list = field(default_factory=list)   # the points its text reads (for the guideline comment)
    rules: list = field(default_factory=list)    # Rule, of every variant
    survives: object = False     # true, false or an expression: the article applies after the end
    when_reads: list = field(default_factory=list)   # the points its `when` reads

    @property
    def is_article(self) -> bool:
        return self.heading is not None


@dataclass
class Warning:
    """A combination of answers the guideline cautions against (`warnings:` in a clause file)."""

    id: str
    file: str
    index: int
    when: str
    text: dict
    reads: list = field(default_factory=list)   # the points its condition reads

    @property
    def code_name(self) -> str:
        return f"{self.file}#warnings.{self.index}.when"


@dataclass
class Template:
    id: str
    file: str
    kind: str
    title: dict
    description: dict | None
    roles: list
    preamble: dict
    articles: list
    closing: dict
    date_line: dict | None
    signature: dict | None
    name: dict | None = None      # what the contract type is called in menus (title may hold variables)
    order: int = 100


@dataclass
class Library:
    points: dict = field(default_factory=dict)       # point ID → Decision
    clauses: dict = field(default_factory=dict)      # clause ID → Clause
    terms: dict = field(default_factory=dict)        # term ID → {ja: {term, definition}, en: …}
    term_homes: dict = field(default_factory=dict)   # term ID → (file, index in its terms:)
    templates: dict = field(default_factory=dict)    # contract type → Template
    warnings: list = field(default_factory=list)     # Warning, in file order
    ui: dict = field(default_factory=dict)           # the interview's messages and theme names
    style: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)        # template name → code object
    origins: dict = field(default_factory=dict)      # template name → (file, line of its first line)
    packs: dict = field(default_factory=dict)        # pack ID → its pack.yaml data (+ "dir", "file")
    rule_model: dict = field(default_factory=dict)   # objects, acts, times, modalities: their words

    def points_for(self, contract: str) -> list[Decision]:
        return [p for p in self.points.values() if contract in p.contracts]

    def points_in_order(self, contract: str) -> list[Decision]:
        """The points the drafter decides (settings excluded), grouped by theme as the interview asks them."""
        themes = list(self.ui.get("themes", {}))
        points = [p for p in self.points_for(contract) if p.ask]
        return sorted(points, key=lambda p: themes.index(p.theme) if p.theme in themes else len(themes))

    @property
    def contracts(self) -> list[str]:
        return list(self.templates)


class CodeTable(dict):
    """Compiled templates from the cache, unmarshalled only when a draft uses them."""

    def __getitem__(self, name):
        code = super().__getitem__(name)
        if isinstance(code, bytes):
            code = marshal.loads(code)
            self[name] = code
        return code

    def items(self):
        return ((name, self[name]) for name in self.keys())

    def values(self):
        return (self[name] for name in self.keys())


# ---- loading --------------------------------------------------------------------------------

def _data_files(root: Path, packs: list[Path] = ()) -> list[Path]:
    files = sorted((root / "clauses").rglob("*.yaml"))
    files += sorted((root / "templates").glob("*.yaml")) + sorted((root / "templates" / "styles").glob("*.yaml"))
    for pack in packs:
        files += sorted(Path(pack).rglob("*.yaml"))
    return files


def _cache_key(root: Path, files: list[Path]) -> str:
    import importlib.util
    h = hashlib.sha256(f"{__version__}|{sys.version}|{root}".encode())
    # the engine's own files and Jinja's (compiled templates are its bytecode) too, by stat:
    # finding Jinja's file does not import it, which keeps the interview's start fast
    jinja = Path(importlib.util.find_spec("jinja2").origin)
    for f in [*files, *sorted(PACKAGE_DIR.glob("*.py")), jinja]:
        st = f.stat()
        h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def _cache_dir() -> Path | None:
    setting = os.environ.get("CONTRACTKIT_CACHE_DIR")
    if setting == "":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "contractkit"


def load_library(root: Path | None = None, use_cache: bool = True, packs: list[Path] = ()) -> Library:
    """The core library, with the use-case packs in `packs` (their folders) added."""
    root = root or data_root()
    packs = [Path(p).resolve() for p in packs]
    files = _data_files(root, packs)
    cache_dir = _cache_dir() if use_cache else None
    pack_set = hashlib.sha256("|".join(map(str, packs)).encode()).hexdigest()[:8]
    cache_file = cache_dir / f"library-{pack_set}-{_cache_key(root, files)}.pickle" if cache_dir else None
    if cache_file and cache_file.is_file():
        try:
            with open(cache_file, "rb") as fh:
                library, codes = pickle.load(fh)
            library.codes = CodeTable(codes)
            return library
        except Exception:
            pass  # a stale or foreign cache file is rebuilt below
    # a pack is checked against the core as cached, so only its own files are compiled
    library = build_library(root, packs=packs, base=load_library(root, use_cache) if packs else None)
    if cache_file:
        _write_cache(cache_file, library)
    return library


def _write_cache(cache_file: Path, library: Library) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        codes = {name: marshal.dumps(code) for name, code in library.codes.items()}
        library_only = dataclasses.replace(library, codes={})
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((library_only, codes), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)
        pack_set = cache_file.name.split("-")[1]
        for old in cache_file.parent.glob(f"library-{pack_set}-*.pickle"):
            if old != cache_file:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # no cache: slower, not wrong


def build_library(root: Path, packs: list[Path] = (), base: Library | None = None) -> Library:
    from .library_check import LibraryBuilder

    builder = LibraryBuilder(root, base)
    for path in _data_files(root) if base is None else []:
        builder.add_file(path)
    for pack in packs:
        builder.add_pack(Path(pack))
    return builder.finish()
