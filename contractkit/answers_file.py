"""The answers file as the interview keeps it: round-trip YAML, so the comments and key order a
user wrote survive, saved atomically after every answer (a mapping's field as soon as it is
answered). The interview's own options (`-o`, `--ui`, `--pack-path`) are kept in its first line,
a comment `# contractkit interview: -o deal.docx --ui ja`, so `--resume` finds them and `build`
ignores them; paths in it are relative to the answers file's folder."""
from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

from .files import atomic_write
from .loading import load_yaml, read_text

TOP_ORDER = ("contract", "usecase", "language", "perspective", "date", "from", "parties", "answers")
SETTINGS = "# contractkit interview:"


class AnswersDocument:
    def __init__(self, path: Path):
        from ruamel.yaml.comments import CommentedMap

        self.path = Path(path)
        if self.path.exists():
            self.data = load_yaml(read_text(self.path), str(self.path)) or CommentedMap()
            if not isinstance(self.data, dict):
                from .errors import UserError
                raise UserError(f"{self.path}:1:1: an answers file is a mapping (contract, language, parties, answers)")
        else:
            self.data = CommentedMap()
        self.settings = self._read_settings()

    # -- reading ----------------------------------------------------------------------------

    def get(self, key, default=None):
        return self.data.get(key, default)

    @property
    def answers(self) -> dict:
        return self.data.get("answers") or {}

    def party(self, role: str) -> dict | None:
        return next((p for p in self.data.get("parties") or [] if isinstance(p, dict) and p.get("role") == role), None)

    def _read_settings(self) -> dict:
        """The options of the interview that wrote this file (its first line), as given to the CLI."""
        import shlex

        if not self.path.exists():
            return {}
        first = read_text(self.path).split("\n", 1)[0]
        if not first.startswith(SETTINGS):
            return {}
        try:
            words = shlex.split(first[len(SETTINGS):])
        except ValueError:
            return {}
        settings: dict = {}
        for flag, value in zip(words[::2], words[1::2]):
            if flag == "-o":
                settings["output"] = value
            elif flag == "--ui" and value in ("ja", "en"):
                settings["ui"] = value
            elif flag == "--pack-path":
                settings.setdefault("pack_path", []).append(value)
        return settings

    def resolved_settings(self) -> dict:
        """The settings with their paths made absolute again (they are kept relative to the file)."""
        base = self.path.resolve().parent
        out = dict(self.settings)
        if "output" in out:
            out["output"] = base / out["output"]
        if "pack_path" in out:
            out["pack_path"] = [str(base / p) for p in out["pack_path"]]
        return out

    def keep_settings(self, output: Path | None = None, ui: str | None = None, pack_path=()) -> None:
        """Remember the interview's options in the file, for `--resume`."""
        import os

        base = self.path.resolve().parent
        self.settings = {}
        if output is not None:
            self.settings["output"] = os.path.relpath(Path(output).resolve(), base)
        if ui:
            self.settings["ui"] = ui
        if pack_path:
            self.settings["pack_path"] = [os.path.relpath(Path(p).resolve(), base) for p in pack_path]

    def settings_line(self) -> str:
        import shlex

        words = []
        if "output" in self.settings:
            words += ["-o", self.settings["output"]]
        if "ui" in self.settings:
            words += ["--ui", self.settings["ui"]]
        for folder in self.settings.get("pack_path", []):
            words += ["--pack-path", folder]
        return f"{SETTINGS} {shlex.join(words)}\n" if words else ""

    # -- writing ----------------------------------------------------------------------------

    def set(self, key: str, value) -> None:
        if key not in self.data:
            position = sum(1 for k in TOP_ORDER[:TOP_ORDER.index(key)] if k in self.data) if key in TOP_ORDER else len(self.data)
            self.data.insert(position, key, _yaml_value(value))
        else:
            self.data[key] = _yaml_value(value)
        self.save()

    def set_party(self, role: str, field: str, value) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if "parties" not in self.data or not isinstance(self.data["parties"], list):
            self.set("parties", CommentedSeq())
        party = self.party(role)
        if party is None:
            party = CommentedMap([("role", role)])
            self.data["parties"].append(party)
        party[field] = value
        self.save()

    def set_answer(self, point_id: str, value, order=()) -> None:
        """Set an answer in place; a new one goes where `order` (the interview's order) puts it."""
        from ruamel.yaml.comments import CommentedMap

        if not isinstance(self.data.get("answers"), dict):
            self.set("answers", CommentedMap())
        answers = self.data["answers"]
        if point_id in answers or point_id not in order:
            answers[point_id] = _yaml_value(value)
        else:
            before = set(order[:list(order).index(point_id)])
            position = max((i + 1 for i, key in enumerate(answers) if key in before), default=0)
            answers.insert(position, point_id, _yaml_value(value))
        self.save()

    def set_field(self, point_id: str, field: str, value, order=()) -> None:
        """One field of a mapping answer, saved at once (the rest may come later)."""
        from ruamel.yaml.comments import CommentedMap

        current = self.answers.get(point_id)
        if not isinstance(current, dict):
            self.set_answer(point_id, {}, order)
            current = self.data["answers"][point_id]
            if not isinstance(current, CommentedMap):
                current = self.data["answers"][point_id] = CommentedMap(current)
        current[field] = _yaml_value(value)
        if any(isinstance(v, (dict, list)) for v in current.values()) or len(str(dict(current))) >= 70:
            current.fa.set_block_style()
        else:
            current.fa.set_flow_style()
        self.save()

    def drop_answer(self, point_id: str) -> None:
        if isinstance(self.data.get("answers"), dict) and point_id in self.data["answers"]:
            del self.data["answers"][point_id]
            self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.path, "w") as fh:
            fh.write(self.dump())

    def dump(self) -> str:
        """The file's text as `save` writes it: the settings line, then the YAML, round-trip."""
        from ruamel.yaml import YAML

        yaml = YAML()
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.width = 4096
        yaml.representer.add_representer(type(None), _null)
        out = io.StringIO()
        yaml.dump(self.data, out)
        text = out.getvalue()
        while text.startswith(SETTINGS):
            text = text.split("\n", 1)[1] if "\n" in text else ""
        return self.settings_line() + text


def _null(representer, _value):
    """`null`, not an empty value: `usecase:` with nothing after it reads as a mistake."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _yaml_value(value):
    """Short lists and mappings in flow style (`warranty: [authority]`), as a person writes them."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        out = CommentedMap((k, _yaml_value(v)) for k, v in value.items())
        if all(not isinstance(v, (dict, list)) for v in value.values()) and len(str(value)) < 70:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        out = CommentedSeq(_yaml_value(v) for v in value)
        if all(not isinstance(v, (dict, list)) for v in value):
            out.fa.set_flow_style()
        return out
    if isinstance(value, _dt.datetime):
        return value.date()
    return value
