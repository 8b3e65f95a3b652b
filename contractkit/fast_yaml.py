"""The fast path for reading YAML: libyaml's C parser (through PyYAML) turns a well-formed file
into plain dicts, lists and scalars in a fraction of the time ruamel.yaml's pure-Python round-trip
loader takes. It never reports an error: anything it is not sure of (a tag, an anchor, a duplicate
key, a scalar whose YAML 1.2 type needs more than the simple rules below, a syntax error) gives
None, and the caller loads the file with the line-reporting loader instead, which then produces
the same values or the located error."""
from __future__ import annotations

import datetime as _dt
import re

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NULL = ("", "~", "null", "Null", "NULL")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# a plain scalar starting with one of these may be a special or syntax in YAML 1.2 ...
_UNSURE_START = frozenset("~!&*%@`|>'\"[{<=")
# ... and one starting like a number may be a number or a timestamp in a form the rules above do
# not cover (0x1F, 1_000, 1e3, .inf, 2026-12-01T10:00:00Z) unless it holds a character none of
# those forms can ("1-12-1 Dogenzaka", "20%", "24時間以内" are text)
_NUMBER_START = frozenset("-+.0123456789")
# a block scalar indicator followed by '#' with no space: libyaml reads a comment, ruamel.yaml
# (and YAML 1.2) an error
_COMMENT_AFTER_INDICATOR = re.compile(r"[|>][0-9+-]*#")
_NUMBER_CHARS = frozenset("0123456789_.+-:eExXoObBabcdfABCDFTtZinfINaN \t")


class Unsure(Exception):
    pass


def _scalar(event):
    if event.tag is not None or event.anchor is not None:
        raise Unsure
    value = event.value
    if event.style != "":          # quoted or block: always text
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _DATE.fullmatch(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise Unsure from None
    if value[0] in _UNSURE_START or value.lower() in ("null", "true", "false"):
        raise Unsure
    if value[0] in _NUMBER_START and _NUMBER_CHARS.issuperset(value):
        raise Unsure
    return value


def load_plain(text: str, max_depth: int) -> dict | None:
    """The mapping `text` holds, as plain data, or None when the careful loader must decide
    (every file contractkit reads is a mapping)."""
    try:
        import yaml
    except ImportError:
        return None
    if not getattr(yaml, "__with_libyaml__", False) or "\t" in text or _COMMENT_AFTER_INDICATOR.search(text):
        return None                # (libyaml lets some tabs pass that ruamel.yaml refuses, and a
        #                            block scalar's header with '#' right after it: `a: >#`)
    try:
        data = _build(yaml.parse(text, Loader=yaml.CSafeLoader), max_depth)
    except (Unsure, yaml.YAMLError, RecursionError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _build(events, max_depth: int):
    import yaml.events as ev

    stack: list = []        # open containers: [container, pending key or _NO_KEY]
    root = None
    documents = 0
    for event in events:
        kind = type(event)
        if kind is ev.ScalarEvent:
            value = _scalar(event)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            if event.tag is not None or event.anchor is not None or len(stack) >= max_depth:
                raise Unsure
            value = {} if kind is ev.MappingStartEvent else []
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            container, key = stack.pop()
            if key is not _NO_KEY:
                raise Unsure
            value = container
            if stack:
                _add(stack, value)
            else:
                root = value
            continue
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                raise Unsure       # a %YAML 1.1 directive changes how plain scalars read
            continue
        elif kind in (ev.StreamStartEvent, ev.StreamEndEvent, ev.DocumentEndEvent):
            continue
        else:                      # aliases and anything unforeseen
            raise Unsure
        if isinstance(value, (dict, list)):
            if stack and isinstance(stack[-1][0], dict) and stack[-1][1] is _NO_KEY:
                raise Unsure       # a mapping or list used as a key
            stack.append([value, _NO_KEY])
        elif stack:
            _add(stack, value)
        else:
            root = value
    return root


_NO_KEY = object()


def _add(stack: list, value) -> None:
    top = stack[-1]
    container = top[0]
    if isinstance(container, list):
        container.append(value)
    elif top[1] is _NO_KEY:
        if not isinstance(value, str) or value in container:
            raise Unsure           # non-text or duplicate keys: the careful loader explains
        top[1] = value
    else:
        container[top[1]] = value
        top[1] = _NO_KEY
