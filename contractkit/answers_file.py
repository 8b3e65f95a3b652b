"""The answers file as the interview keeps it: round-trip YAML, so the comments and key order a
user wrote survive, saved atomically after every answer."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .files import atomic_write
from .loading import load_yaml, read_text

TOP_ORDER = ("contract", "usecase", "language", "perspective", "date", "from", "parties", "answers")


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

    # -- reading ----------------------------------------------------------------------------

    def get(self, key, default=None):
        return self.data.get(key, default)

    @property
    def answers(self) -> dict:
        return self.data.get("answers") or {}

    def party(self, role: str) -> dict | None:
        return next((p for p in self.data.get("parties") or [] if isinstance(p, dict) and p.get("role") == role), None)

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

    def set_answer(self, point_id: str, value) -> None:
        from ruamel.yaml.comments import CommentedMap

        if not isinstance(self.data.get("answers"), dict):
            self.set("answers", CommentedMap())
        self.data["answers"][point_id] = _yaml_value(value)
        self.save()

    def drop_answer(self, point_id: str) -> None:
        if isinstance(self.data.get("answers"), dict) and point_id in self.data["answers"]:
            del self.data["answers"][point_id]
            self.save()

    def save(self) -> None:
        from ruamel.yaml import YAML

        yaml = YAML()
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.width = 4096
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.path, "w") as fh:
            yaml.dump(self.data, fh)


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
