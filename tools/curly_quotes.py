"""Turn straight double quotes in the English texts of the clause library into curly ones
(docs/style-en.md), editing only the characters themselves so that a merge stays simple:

    python3 tools/curly_quotes.py            # every shipped clause file and skeleton
    python3 tools/curly_quotes.py FILE...    # these files (a pack's clauses, say)

Jinja tags ({{ … }}, {% … %}) are left alone, and so is YAML's own quoting. Afterwards every file
is parsed again and each English text must differ from before only in its quotation marks, each
other text not at all; a file that would not is left as it was and named."""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
BLOCK = re.compile(r"^(\s*)(?:- )?en:\s*[|>][-+]?\s*$")
INLINE = re.compile(r"^(\s*)(?:- )?(?:.*[{,]\s*)?en: ")
OPENS_AFTER = " \t([—–/\u3000"


def _curl(text: str, escaped: bool = False) -> str:
    """Straight quotes (`\\"` inside a YAML double-quoted scalar) outside Jinja tags made curly:
    opening after a space, a bracket or the start, closing elsewhere."""
    mark = '\\"' if escaped else '"'
    out, i, spans = "", 0, [(m.start(), m.end()) for m in JINJA.finditer(text)]
    while i < len(text):
        span = next((e for s, e in spans if s == i), None)
        if span is not None:
            out, i = out + text[i:span], span
        elif text.startswith(mark, i):
            out += "“" if (not out or out[-1] in OPENS_AFTER) else "”"
            i += len(mark)
        else:
            out, i = out + text[i], i + 1
    return out


def convert(source: str) -> str:
    lines = source.split("\n")
    block: list[int] = []           # the lines of the English block scalar being read
    block_indent = None

    def flush() -> None:
        # a block is converted as one text, so that a Jinja tag over several lines stays whole
        if block:
            converted = _curl("\n".join(lines[j] for j in block)).split("\n")
            for j, text in zip(block, converted):
                lines[j] = text
            block.clear()

    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if line.strip() == "" or indent > block_indent:
                block.append(i)
                continue
            flush()
            block_indent = None
        b = BLOCK.match(line)
        if b:
            block_indent = len(b.group(1))
            continue
        m = INLINE.match(line)
        if not m:
            continue
        start = m.end()
        value = line[start:]
        if value.startswith('"'):
            end = len(value.rstrip().rstrip(",}]").rstrip()) - 1      # the closing YAML quote
            if end > 0 and value[end] == '"':
                lines[i] = line[:start] + '"' + _curl(value[1:end], escaped=True) + value[end:]
            continue
        if value[:1] in ("'", "|", ">", "{", "[", "&", "*", "!"):
            continue
        if "{" in line[:start]:                                           # in a flow mapping: up to its end
            end = line.rfind("}")
            if end > start:
                lines[i] = line[:start] + _curl(line[start:end]) + line[end:]
            continue
        lines[i] = line[:start] + _curl(value)
    flush()
    return "\n".join(lines)


def _strings(node, path=(), lang=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, path + (k,), k if k in ("ja", "en") else lang)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, path + (i,), lang)
    else:
        yield path, lang, node


def _same(before: str, after: str, shown: str) -> bool:
    from contractkit.loading import load_data
    try:
        old, new = dict((p, (l, v)) for p, l, v in _strings(load_data(before, shown))), \
            dict((p, (l, v)) for p, l, v in _strings(load_data(after, shown)))
    except Exception:          # noqa: BLE001 - a file that no longer parses is not changed
        return False
    if old.keys() != new.keys():
        return False
    for path, (lang, value) in old.items():
        changed = new[path][1]
        if lang == "en" and isinstance(value, str) and isinstance(changed, str):
            if changed.replace("“", '"').replace("”", '"') != value or JINJA.findall(changed) != JINJA.findall(value):
                return False
        elif changed != value:
            return False
    return True


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted([*ROOT.glob("clauses/*/*.yaml"), *ROOT.glob("usecases/*/clauses/*.yaml"),
                                               *ROOT.glob("templates/*.yaml")])
    refused = 0
    for file in files:
        before = file.read_text(encoding="utf-8")
        after = convert(before)
        if after == before:
            continue
        if _same(before, after, str(file)):
            file.write_text(after, encoding="utf-8")
        else:
            refused += 1
            print(f"{file}: left as it was (the change would alter more than quotation marks)")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
