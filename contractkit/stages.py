"""The staged path (assessment → PoC → development → use): an answers file that names `from:` an
earlier stage's answers file takes over its parties, language, perspective and every answer to a
point that means the same at this stage (same point ID, `carry` not false). The earlier file may
itself name `from:`; the chain is merged with the later stage on top."""
from __future__ import annotations

from pathlib import Path

from .errors import UserError
from .loading import load_data, read_text
from .schema import Problem, answers_envelope, locate, plain, raise_problems

MAX_CHAIN = 8


def load_stage(path: Path, library, seen: tuple = ()) -> dict:
    """The merged envelope of an earlier stage: contract, language, perspective, parties, answers."""
    path = Path(path)
    key = path.resolve()
    if key in seen:
        raise UserError(f"{path}: the 'from:' chain comes back to this file")
    if len(seen) >= MAX_CHAIN:
        raise UserError(f"{path}: the 'from:' chain is longer than {MAX_CHAIN} stages")
    tree = load_data(read_text(path), str(path))
    if not isinstance(tree, dict):
        raise UserError(f"{path}:1:1: an answers file is a mapping (contract, language, parties, answers)")
    problems: list[Problem] = []
    envelope = answers_envelope(library.contracts, required=False).check(tree, (), problems)
    if problems:
        raise_problems(locate(problems, tree, str(path)))
    envelope = plain(envelope)
    stage = {"files": [str(path)], "contract": envelope.get("contract"), "answers": dict(envelope.get("answers") or {})}
    for key_name in ("language", "perspective", "parties"):
        if envelope.get(key_name) is not None:
            stage[key_name] = envelope[key_name]
    if envelope.get("from"):
        earlier = load_stage(path.parent / envelope["from"], library, seen + (key,))
        stage = {**earlier, **{k: v for k, v in stage.items() if k not in ("answers", "files")},
                 "answers": {**earlier["answers"], **stage["answers"]},
                 "files": earlier["files"] + stage["files"]}
    return stage


def carried_answers(library, contract: str, stage: dict) -> dict:
    """The earlier stages' answers that mean the same in `contract`."""
    applicable = {p.id: p for p in library.points_for(contract)}
    return {pid: value for pid, value in stage["answers"].items()
            if pid in applicable and applicable[pid].carry}
