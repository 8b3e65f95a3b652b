"""Safe YAML: no object construction, no tags, no aliases; every value keeps its position."""
from __future__ import annotations

import datetime as _dt
import os
import re
import stat
from pathlib import Path

from .errors import Located, UserError

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
MAX_DIGITS = 1_000          # Python refuses to convert more than 4,300 digits (and no answer needs 1,000)
_LONG_NUMBER = re.compile(r"^[-+]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9_]+)$")


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def read_text(path: Path, shown: str | None = None, inside: Path | None = None) -> str:
    """A YAML file's text, its size checked with stat before it is read. With `inside` (a pack's
    or the library's resolved folder) the file must be a regular file whose resolved path is in
    that folder: no link out, no FIFO or device (an answers file may also be a pipe)."""
    shown = shown or str(path)
    path = Path(path)
    if inside is not None:
        resolved = path.resolve()
        if not resolved.is_relative_to(inside):
            raise UserError(f"{shown}: is a link to {resolved}, outside {inside}; only the folder's own files are read")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        what = "a link to a file that does not exist" if path.is_symlink() else "no such file"
        raise UserError(f"{shown}: {what}") from None
    except IsADirectoryError:
        raise UserError(f"{shown}: is a folder, not a YAML file") from None
    except OSError as exc:
        raise UserError(f"{shown}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UserError(f"{shown}: is a folder, not a YAML file")
        if not stat.S_ISREG(st.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) \
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file"
            if inside is not None or not stat.S_ISFIFO(st.st_mode):
                raise UserError(f"{shown}: is {kind}, not a file; only regular files are read")
            os.set_blocking(fd, True)         # an answers file piped in (`build /dev/stdin`)
        elif st.st_size > MAX_FILE_BYTES:
            raise UserError(f"{shown}:1:1: the file is {st.st_size:,} bytes; at most {MAX_FILE_BYTES:,} are read")
        try:
            raw = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise UserError(f"{shown}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(f"{shown}:1:1: the file is more than {MAX_FILE_BYTES:,} bytes; at most {MAX_FILE_BYTES:,} are read")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{shown}:1:1: the file is UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        raise UserError(f"{shown}:1:1: this is not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserError(f"{shown}:{line}:{col}: the file is not UTF-8 (save it as UTF-8)") from None
    return text


def load_yaml(text: str, shown: str):
    """Parse `text`; return the round-trip tree (mappings and sequences carry `.lc`)."""
    yaml = _yaml()
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml import events

    try:
        depth = 0
        for event in () if _nothing_to_refuse(text) else yaml.parse(text):
            mark = event.start_mark
            if isinstance(event, events.AliasEvent):
                raise Located(shown, mark.line + 1, mark.column + 1,
                              f"aliases (*{event.anchor}) are not allowed in contractkit files; write the value out")
            if isinstance(event, (events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent)):
                if getattr(event, "anchor", None):
                    raise Located(shown, mark.line + 1, mark.column + 1,
                                  f"anchors (&{event.anchor}) are not allowed in contractkit files")
                tag = event.tag
                if tag is not None and not (isinstance(event, events.ScalarEvent) and tag == "!"):
                    raise Located(shown, mark.line + 1, mark.column + 1,
                                  f"YAML tags ({tag.replace('tag:yaml.org,2002:', '!!')}) are not allowed: contractkit files hold plain data, never objects")
            if isinstance(event, events.ScalarEvent) and event.style is None and len(event.value) > MAX_DIGITS \
                    and _LONG_NUMBER.match(event.value):
                raise Located(shown, mark.line + 1, mark.column + 1,
                              f"a number of {len(event.value):,} characters; at most {MAX_DIGITS:,} digits are read "
                              "(put it in quotes if it is text)")
            if isinstance(event, events.ScalarEvent) and event.style is None and _DATE_LIKE.match(event.value):
                try:
                    _dt.date.fromisoformat(event.value)
                except ValueError:
                    raise Located(shown, mark.line + 1, mark.column + 1,
                                  f"'{event.value}' is not a valid date (write YYYY-MM-DD, e.g. 2026-12-01)")
            if isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Located(shown, mark.line + 1, mark.column + 1,
                                  f"nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
                depth -= 1
        return yaml.load(text)
    except Located as exc:
        raise UserError(str(exc)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "duplicate key" in str(exc):
            what = "a key appears twice in the same mapping"
            if "{" in text.splitlines()[line - 1 if line <= len(text.splitlines()) else -1]:
                what += " (inside {…} a comma ends a value: put texts with commas in quotes)"
        else:
            context = exc.context_mark
            line, col, what = explain_yaml_error(text, what, line, col,
                                                 (context.line + 1, context.column + 1) if context else None)
        raise UserError(f"{shown}:{line}:{col}: invalid YAML: {what}") from None
    except YAMLError as exc:
        raise UserError(f"{shown}:1:1: invalid YAML: {exc}") from None
    except RecursionError:
        raise UserError(f"{shown}:1:1: nested too deeply") from None


def _content_lines(lines: list[str], before: int):
    """(line number, column where its content starts, the content) of the lines above line
    `before` that hold data, nearest first; a list item's content starts after its '- '."""
    for number in range(before - 1, 0, -1):
        raw = lines[number - 1]
        stripped = raw.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        content = stripped
        while content.startswith("- "):
            content = content[2:].lstrip(" ")
        yield number, len(raw) - len(content) + 1, content


def _key(content: str) -> str:
    key, sep, _ = content.partition(":")
    return key.strip() if sep else content.strip()[:20]


def explain_yaml_error(text: str, problem: str, line: int, col: int, context: tuple | None) -> tuple[int, int, str]:
    """The parser's problem in words a drafter can act on: (line, col, message)."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    start = len(here) - len(here.lstrip(" ")) + 1          # where this line's content starts
    if "cannot start any token" in problem and here[col - 1: col] == "\t":
        return line, col, "a tab character: indent with spaces only (replace the tab with spaces)"
    if "cannot start any token" in problem:
        char = here[col - 1] if 0 < col <= len(here) else "?"
        return line, col, (f"a value cannot start with '{char}' unless it is in quotes: "
                           f"write the whole text in quotes, e.g. \"{here[col - 1:].strip()[:30]}\"")
    if problem == "mapping values are not allowed here":
        if ": " in here[: col - 1] or here[: col - 1].rstrip().endswith(":"):
            return line, col, ("a second ': ' on this line: a text that contains ': ' must be in quotes, "
                               "e.g. note: \"see: Article 3\"")
        above = next(_content_lines(lines, line), None)
        if above is not None and above[1] < start:
            number, above_col, content = above
            return line, start, (f"this line is indented more than '{_key(content)}' on line {number}, so it reads as "
                                 f"more of that line's text; start '{_key(here.strip())}' in column {above_col}, like "
                                 f"the key above it (or, if ': ' belongs to a text, put the text in quotes)")
        return line, col, "a ': ' where no key can start: a text that contains ': ' must be in quotes"
    if problem.startswith("expected <block end>"):
        if col > start:
            return line, col, ("more text after a closing quote: put the whole text in one pair of quotes "
                               "(a ' inside '…' is written '')")
        path = []                     # the columns a line here may start at: those of the keys it may follow
        for number, key_col, content in _content_lines(lines, line):
            if not path or key_col < path[-1][1]:
                path.append((number, key_col, content))
            if key_col == 1:
                break
        shown = ", ".join(f"column {c} ('{_key(t)}', line {n})" for n, c, t in path[:3])
        return line, start, (f"the indentation does not match the lines above: this line starts in column {start}; "
                             f"lines of one mapping or list start in the same column: {shown}. "
                             "Indent with spaces to one of those columns")
    if "could not find expected ':'" in problem:
        where = context or (line, col)
        return where[0], where[1], ("a line without 'key: value' inside a mapping: write 'key: value', or, if the line "
                                    "continues a text, put the whole text in quotes or write it after '|'")
    if "end of stream" in problem and context is not None:
        return context[0], context[1], "this quote is never closed: end the text with the same quote mark"
    if problem.startswith(("expected ',' or '}'", "expected ',' or ']'")) and context is not None:
        bracket = "{…}" if "}" in problem else "[…]"
        return line, col, (f"the {bracket} opened on line {context[0]}, column {context[1]} is not closed where it should "
                           f"be: close it on the same line, and put texts that hold a comma or ': ' in quotes")
    return line, col, problem


def _nothing_to_refuse(text: str) -> bool:
    """True when libyaml's C parser finds none of what load_yaml refuses (aliases, anchors, tags,
    invalid dates, deep nesting) and no syntax error: the pure-Python scan for them, as slow as a
    second load, is then skipped. Anything else, the careful scan decides and words the error."""
    try:
        import yaml
    except ImportError:
        return False
    if not getattr(yaml, "__with_libyaml__", False) or "\t" in text:
        return False               # (libyaml lets some tabs pass that ruamel.yaml refuses)
    import yaml.events as ev
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            kind = type(event)
            if kind is ev.ScalarEvent:
                if event.anchor is not None or event.tag not in (None, "!"):
                    return False
                if event.style == "" and _DATE_LIKE.match(event.value):
                    _dt.date.fromisoformat(event.value)
                if event.style == "" and len(event.value) > MAX_DIGITS and _LONG_NUMBER.match(event.value):
                    return False           # the careful scan locates it
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                depth += 1
                if event.anchor is not None or event.tag is not None or depth > MAX_DEPTH:
                    return False
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                depth -= 1
            elif kind is ev.AliasEvent:
                return False
    except (yaml.YAMLError, ValueError):
        return False
    return True


class PlainTree(dict):
    """A file's top mapping read by the fast path: plain values, positions found on demand, with
    libyaml's composer (the file is well-formed: the fast path read it), so that locating even
    thousands of problems costs one quick pass."""

    def __init__(self, data: dict, text: str, shown: str):
        super().__init__(data)
        self._source = (text, shown)
        self._positioned = None
        self._nodes = None
        self._maps: dict = {}

    def positioned(self):
        if self._positioned is None:
            self._positioned = load_yaml(*self._source)
        return self._positioned

    def _node(self):
        if self._nodes is None:
            import yaml
            self._nodes = yaml.compose(self._source[0], Loader=yaml.CSafeLoader)
        return self._nodes

    def _child(self, node, key):
        """(key node or None, value node) of `key` in a composed mapping or sequence, or None."""
        import yaml
        if isinstance(node, yaml.SequenceNode):
            return (None, node.value[key]) if isinstance(key, int) and 0 <= key < len(node.value) else None
        if not isinstance(node, yaml.MappingNode):
            return None
        table = self._maps.get(id(node))
        if table is None:
            table = self._maps[id(node)] = {}
            for k, v in node.value:
                table.setdefault(k.value, (k, v))
        return table.get(str(key)) if not isinstance(key, bool) else None

    def node_position(self, path: tuple, on_key: bool = False) -> tuple[int, int]:
        node = self._node()
        mark = node.start_mark
        for i, key in enumerate(path):
            found = self._child(node, key)
            if found is None:
                break
            key_node, node = found
            mark = key_node.start_mark if on_key and i == len(path) - 1 and key_node is not None else node.start_mark
        return mark.line + 1, mark.column + 1


def load_data(text: str, shown: str):
    """Parse `text` for reading only: the fast path when the file is plainly well-formed (a
    mapping comes back as a PlainTree), else the round-trip loader with its located errors."""
    from .fast_yaml import load_plain

    data = load_plain(text, MAX_DEPTH)
    if data is not None:
        return PlainTree(data, text, shown)
    return load_yaml(text, shown)


def position(tree, path: tuple) -> tuple[int, int]:
    """1-based (line, col) of the value at `path` in a round-trip tree, or of the deepest part of
    the path that exists (a missing key is reported at its mapping)."""
    if isinstance(tree, PlainTree):
        return tree.node_position(path)
    lc = getattr(tree, "lc", None)
    pos = (lc.line, lc.col) if lc is not None else (0, 0)
    node = tree
    for key in path:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            found = lc.item(key) if isinstance(node, list) else lc.value(key)
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if found is None:       # (ruamel.yaml keeps no position for some flow items)
            break
        pos = found
    return pos[0] + 1, pos[1] + 1


def key_position(tree, path: tuple) -> tuple[int, int]:
    """1-based position of the key at the end of `path` (for unknown keys)."""
    if isinstance(tree, PlainTree):
        return tree.node_position(path, on_key=True)
    parent = tree
    for key in path[:-1]:
        try:
            parent = parent[key]
        except (KeyError, IndexError, TypeError):
            return position(tree, path[:-1])
    try:
        line, col = parent.lc.key(path[-1])
        return line + 1, col + 1
    except (AttributeError, KeyError, TypeError):
        return position(tree, path[:-1])
