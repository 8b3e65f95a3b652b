"""The library: every clause, point, term, document skeleton and style, validated, cross-checked
and compiled once; kept in a cache keyed by the files' stats (like .pyc) so a build loads it in
a few milliseconds, and shipped compiled in the wheel so that the first build after installing is
as fast (see "loading" below)."""
from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import pickle
import sys
import time
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
    language_defaults: dict = field(default_factory=dict)      # draft language → default ("ja+en": per prevailing language)
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
    translate: bool = False     # text: written differently in Japanese and English (a court): ja+en needs {ja, en}
    fact: bool = False          # records a fact (the purpose, personal data, signing): no fallback, no stance
    concede: dict = field(default_factory=dict)   # role → its options from best to worst (memo fallbacks)
    carry: bool = True          # false: a later stage (`from:`) does not take this answer over
    ask: bool = True            # false: a setting with a default (packs may change it), never asked
    schedule: dict | None = None   # records: the title of the schedule (別紙) its rows make, per language
    reads: list = field(default_factory=list)   # the other points its `when` (or a field's) reads: asked before it

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
    needs: dict | None = None   # the base it presupposes: objects, parties, acts (lists), times, is
    premise: dict | None = None  # {ja, en}: what the article does that presupposes the base

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
    groups: list = field(default_factory=list)   # the interview's groups: {id, label, points}, in order
    words: dict = field(default_factory=dict)    # name → {ja, en}: what shared clauses print as words.<name>
    rule_objects: dict = field(default_factory=dict)   # rule-model object → {ja, en}: its name in these drafts


@dataclass
class Library:
    points: dict = field(default_factory=dict)       # point ID → Decision
    clauses: dict = field(default_factory=dict)      # clause ID → Clause
    terms: dict = field(default_factory=dict)        # term ID → {ja: {term, definition}, en: …}
    term_homes: dict = field(default_factory=dict)   # term ID → (file, index in its terms:)
    term_contracts: dict = field(default_factory=dict)   # term ID → the contract types that define it (absent: all)
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
        """The points the drafter decides (settings excluded), in the order the interview asks them."""
        return [p for _group, points in self.interview_groups(contract) for p in points]

    def interview_groups(self, contract: str) -> list[tuple[dict | None, list[Decision]]]:
        """(group, its points) in the interview's order: the template's `interview: groups`, then
        the points they do not name, by theme, in a last group "the rest" ({id: rest, label:
        None}); without groups, one group (None) of every point, by theme."""
        themes = list(self.ui.get("themes", {}))
        points = [p for p in self.points_for(contract) if p.ask]
        by_theme = sorted(points, key=lambda p: themes.index(p.theme) if p.theme in themes else len(themes))
        template = self.templates.get(contract)
        groups = template.groups if template is not None else []
        if not groups:
            return [(None, _after_what_they_read(by_theme))]
        asked = {p.id: p for p in points}
        out = [(g, [asked[pid] for pid in g["points"] if pid in asked]) for g in groups]
        named = {pid for g in groups for pid in g["points"]}
        rest = _after_what_they_read([p for p in by_theme if p.id not in named])
        if rest:
            out.append(({"id": "rest", "label": None}, rest))
        return out

    @property
    def contracts(self) -> list[str]:
        return list(self.templates)


def _after_what_they_read(points: list[Decision]) -> list[Decision]:
    """The points in their order, except that each comes after the points of the list that its
    condition reads (the interview asks what a question depends on first); two that read each
    other (liability and liability-floor) keep their order."""
    by_id = {p.id: p for p in points}
    needs = {p.id: {r for r in p.reads if r in by_id and p.id not in by_id[r].reads} for p in points}
    out, placed, waiting = [], set(), list(points)
    while waiting:
        ready = next((p for p in waiting if needs[p.id] <= placed), waiting[0])   # (a longer cycle: as listed)
        waiting.remove(ready)
        out.append(ready)
        placed.add(ready.id)
    return out


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
#
# Where a library comes from, fastest first:
#   1. the user's cache (~/.cache/contractkit), keyed by the stats of the data and engine files
#      (like .pyc): one pickle read, templates unmarshalled only when a draft uses them;
#   2. the library shipped in the wheel (compiled at wheel-build time by hatch_build.py, with an
#      entry for each shipped pack), keyed by what truly matters: the package version, the data
#      and engine files' contents, Python's bytecode magic number and Jinja's version; on a
#      match it is copied into the user's cache;
#   3. building it: reading, validating, cross-checking and compiling every file (seconds).
# A pack's entry holds only what the pack adds to or changes in the core library (its clauses,
# points, codes, the defaults and article orders it changes), applied to the cached core.
# The cache directory keeps one entry per pack set, at most MAX_CACHE_BYTES in all (the least
# recently used go first), and never an entry larger than MAX_ENTRY_BYTES.

CACHE_FORMAT = 2
SHIPPED_DIR = "shipped"                 # beside clauses/ and templates/ in an installed package:
                                        # library.pickle (the core), pack-<id>.pickle (each shipped pack)
MAX_CACHE_BYTES = 48 * 1024 * 1024
MAX_ENTRY_BYTES = 12 * 1024 * 1024


def _data_files(root: Path, packs: list[Path] = ()) -> list[Path]:
    files = sorted((root / "clauses").rglob("*.yaml"))
    files += sorted((root / "templates").glob("*.yaml")) + sorted((root / "templates" / "styles").glob("*.yaml"))
    for pack in packs:
        files += sorted(Path(pack).rglob("*.yaml"))
    for f in files:
        if not f.exists():     # a link to nothing: reported here, as the cache key stats every file
            raise UserError(f"{f}: a link to a file that does not exist")
    return files


def _cache_key(root: Path, files: list[Path]) -> str:
    import importlib.util
    h = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{sys.version}|{root}".encode())
    # the engine's own files and Jinja's (compiled templates are its bytecode) too, by stat:
    # finding Jinja's file does not import it, which keeps the interview's start fast
    jinja = Path(importlib.util.find_spec("jinja2").origin)
    for f in [*files, *sorted(PACKAGE_DIR.glob("*.py")), jinja]:
        st = f.stat()
        h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def _jinja_version() -> str:
    import importlib.util
    import re
    source = Path(importlib.util.find_spec("jinja2").origin).read_text(encoding="utf-8")
    found = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", source, re.M)
    return found.group(1) if found else "unknown"


def content_key(root: Path) -> str:
    """The key of a shipped library: what its compiled form depends on, by content, so that it
    holds wherever the package is installed."""
    import importlib.util
    h = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{importlib.util.MAGIC_NUMBER.hex()}|{_jinja_version()}".encode())
    named = [(f.relative_to(root).as_posix(), f) for f in _data_files(root)]
    named += [(f"engine/{f.name}", f) for f in sorted(PACKAGE_DIR.glob("*.py"))]
    for name, f in named:
        h.update(name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _cache_dir() -> Path | None:
    setting = os.environ.get("CONTRACTKIT_CACHE_DIR")
    if setting == "":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "contractkit"


def _pack_set(root: Path, packs: list[Path]) -> str:
    """What an entry is the library of (a cache keeps one entry for each): this library root
    alone ("c…", the core) or with these packs ("p…"); two installs never evict each other."""
    return ("p" if packs else "c") + hashlib.sha256("|".join(map(str, [root, *packs])).encode()).hexdigest()[:8]


def _is_core_entry(path: Path) -> bool:
    return path.name.split("-")[1].startswith("c")


def load_library(root: Path | None = None, use_cache: bool = True, packs: list[Path] = ()) -> Library:
    """The core library, with the use-case packs in `packs` (their folders) added."""
    root = root or data_root()
    packs = [Path(p).resolve() for p in packs]
    cache_dir = _cache_dir() if use_cache else None
    if cache_dir is None:       # no cache (CONTRACTKIT_CACHE_DIR=""): the shipped library still counts
        core = (_shipped_library(root, None) if use_cache else None) or build_library(root)
        return build_library(root, packs=packs, base=core) if packs else core
    pack_set = _pack_set(root, packs)
    cache_file = cache_dir / f"library-{pack_set}-{_cache_key(root, _data_files(root, packs))}.pickle"
    payload = _read_entry(cache_file, "pack" if packs else "core")
    if payload is not None and not packs:
        return _core_library(payload)
    if payload is not None:
        return _apply_delta(load_library(root, use_cache), payload)
    if len(packs) == 1:
        library = _shipped_pack(root, packs[0], cache_file)
        if library is not None:
            return library
    if not packs:
        library = _shipped_library(root, cache_file)
        if library is None:
            library = build_library(root)
            _write_entry(cache_file, _core_payload(library))
        return library
    # a pack is checked against the core as cached, so only its own files are compiled
    core = load_library(root, use_cache)
    pristine = _snapshot(core)
    library = build_library(root, packs=packs, base=core)
    _write_entry(cache_file, _delta(pristine, library))
    return library


# ---- cache entries: a pickled header, then the payload --------------------------------------

def _read_entry(path: Path, kind: str):
    """The payload of a cache entry of that kind ("core" or "pack"), or None when there is none
    or it is stale, foreign or damaged (it is then rebuilt: slower, not wrong)."""
    try:
        with open(path, "rb") as fh:
            header = pickle.load(fh)
            if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
                return None
            payload = pickle.load(fh)
            if not (isinstance(payload, tuple) and len(payload) == 3 and payload[0] == kind):
                return None
            if time.time() - os.fstat(fh.fileno()).st_mtime > 60:
                os.utime(path)      # recently used: pruned last
            return payload
    except FileNotFoundError:
        return None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return None


def _entry_bytes(payload, key: str | None = None) -> bytes:
    header = {"format": CACHE_FORMAT, "key": key}
    return pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _core_payload(library: Library):
    codes = {name: marshal.dumps(code) for name, code in library.codes.items()}
    return ("core", dataclasses.replace(library, codes={}), codes)


def _core_library(payload) -> Library:
    kind, library, codes = payload
    if kind != "core":
        raise ValueError(f"not a core library entry: {kind}")
    library.codes = CodeTable(codes)
    return library


def _snapshot(library: Library) -> Library:
    """An independent copy of a library's data (not its codes), to compare a pack's result with."""
    copy = pickle.loads(pickle.dumps(dataclasses.replace(library, codes={}), protocol=pickle.HIGHEST_PROTOCOL))
    copy.codes = dict.fromkeys(library.codes)
    return copy


def _delta(core: Library, library: Library):
    """What building with packs added to or changed in `core`: of every mapping, the entries that
    are new or differ (and the order, where it is not the core's followed by the new ones); of
    every list, what was appended; any other value that differs, whole."""
    changes = {}
    for f in dataclasses.fields(Library):
        if f.name == "codes":
            continue
        old, new = getattr(core, f.name), getattr(library, f.name)
        if isinstance(old, dict) and isinstance(new, dict):
            order = None
            if list(new) != [k for k in old if k in new] + [k for k in new if k not in old] or not set(old) <= set(new):
                order = list(new)
            changes[f.name] = ("dict", {k: v for k, v in new.items() if k not in old or old[k] != v}, order)
        elif isinstance(old, list) and isinstance(new, list) and new[:len(old)] == old:
            changes[f.name] = ("list", len(old), new[len(old):])
        elif old != new:
            changes[f.name] = ("value", new)
    codes = {name: marshal.dumps(code) for name, code in library.codes.items() if name not in core.codes}
    return ("pack", changes, codes)


def _apply_delta(core: Library, payload) -> Library:
    kind, changes, codes = payload
    if kind != "pack":
        raise ValueError(f"not a pack entry: {kind}")
    for name, change in changes.items():
        if change[0] == "dict":
            values = getattr(core, name)
            values.update(change[1])
            if change[2] is not None:
                setattr(core, name, {k: values[k] for k in change[2]})
        elif change[0] == "list":
            setattr(core, name, getattr(core, name)[:change[1]] + change[2])
        else:
            setattr(core, name, change[1])
    core.codes.update(codes)
    return core


def _write_entry(cache_file: Path, payload) -> None:
    data = _entry_bytes(payload)
    if len(data) > MAX_ENTRY_BYTES:
        return  # never cached: an oversized library is rebuilt each time rather than crowd out the rest
    _store(cache_file, data)


def _store(cache_file: Path, data: bytes) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, cache_file)
    except OSError:
        return  # no cache (read-only or full disk): slower, not wrong
    prune_cache(cache_file.parent, keep=cache_file)


def prune_cache(cache_dir: Path, keep: Path | None = None, limit: int | None = None) -> None:
    """One entry per pack set (the one just written), no leftovers of interrupted writes or of an
    older format, and at most `limit` bytes in all, removing the least recently used packs'
    entries first."""
    limit = MAX_CACHE_BYTES if limit is None else limit
    entries = []
    try:
        for path in cache_dir.glob("library-*"):
            st = path.stat()
            if path.suffix == ".tmp":
                if time.time() - st.st_mtime > 3600:
                    path.unlink(missing_ok=True)
                continue
            library_set = path.name.split("-")[1]
            if len(library_set) != 9 or (keep is not None and path != keep and library_set == keep.name.split("-")[1]):
                path.unlink(missing_ok=True)        # replaced, or of an older contractkit's format
                continue
            entries.append((path == keep, _is_core_entry(path), st.st_mtime, st.st_size, path))
        total = sum(size for *_, size, _ in entries)
        # the entry just written goes last, the cores' before it (every pack's entry needs one)
        for is_kept, _, _, size, path in sorted(entries):
            if total <= limit or is_kept:
                break
            path.unlink(missing_ok=True)
            total -= size
    except OSError:
        return  # another process pruned first, or the folder is read-only: nothing is lost


# ---- the library shipped in the wheel --------------------------------------------------------

def _read_shipped(path: Path, key_of, kind: str):
    """(the file's bytes, its payload) if `path` holds a shipped entry of that kind whose key is
    key_of() (computed only if the file is there), else None."""
    import io
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
        fh = io.BytesIO(data)
        header = pickle.load(fh)
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT or header.get("key") != key_of():
            return None
        payload = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return None
    if not (isinstance(payload, tuple) and len(payload) == 3 and payload[0] == kind):
        return None
    return data, payload


def _shipped_library(root: Path, cache_file: Path | None) -> Library | None:
    """The library compiled at wheel-build time, if it was compiled from exactly these files by
    this engine for this Python and Jinja; copied into the user's cache for the next run."""
    found = _read_shipped(root / SHIPPED_DIR / "library.pickle", lambda: content_key(root), "core")
    if found is None:
        return None
    if cache_file is not None:
        _store(cache_file, found[0])
    return _core_library(found[1])


def _pack_key(root: Path, pack: Path) -> str:
    h = hashlib.sha256(content_key(root).encode())
    for f in sorted(pack.rglob("*.yaml")):
        h.update(f.relative_to(pack).as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _shipped_pack(root: Path, pack: Path, cache_file: Path) -> Library | None:
    """A shipped pack's entry (what it adds to the shipped core), if its files and the core's are
    those it was compiled from."""
    if pack.parent != (root / "usecases").resolve():
        return None
    found = _read_shipped(root / SHIPPED_DIR / f"pack-{pack.name}.pickle", lambda: _pack_key(root, pack), "pack")
    if found is None:
        return None
    payload = found[1]
    packs_change = payload[1].get("packs")
    if not packs_change or pack.name not in packs_change[1]:
        return None
    packs_change[1][pack.name]["dir"] = str(pack)       # where it is installed, not where it was built
    _write_entry(cache_file, payload)
    return _apply_delta(load_library(root), payload)


def write_shipped_library(root: Path, target: Path) -> Path:
    """Build the library from `root` (the source tree), and each pack in its usecases/, and write
    them to the folder `target`, as an installed package looks for them (SHIPPED_DIR); raises
    the library's problems if it does not build."""
    library = build_library(root)
    core_payload = _core_payload(library)
    target.mkdir(parents=True, exist_ok=True)
    (target / "library.pickle").write_bytes(_entry_bytes(core_payload, key=content_key(root)))
    frozen = pickle.dumps(core_payload, protocol=pickle.HIGHEST_PROTOCOL)
    for pack in sorted(p.parent.resolve() for p in (root / "usecases").glob("*/pack.yaml")):
        core = _core_library(pickle.loads(frozen))
        pristine = _snapshot(core)
        with_pack = build_library(root, packs=[pack], base=core)
        (target / f"pack-{pack.name}.pickle").write_bytes(_entry_bytes(_delta(pristine, with_pack), key=_pack_key(root, pack)))
    return target


def build_library(root: Path, packs: list[Path] = (), base: Library | None = None) -> Library:
    from .library_check import LibraryBuilder

    builder = LibraryBuilder(root, base)
    for path in _data_files(root) if base is None else []:
        builder.add_file(path)
    for pack in packs:
        builder.add_pack(Path(pack))
    return builder.finish()
