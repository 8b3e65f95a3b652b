"""`build`: answers file → draft. Loads, resolves, assembles and writes; nothing is written
unless every step succeeded."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UserError


@dataclass
class BuildResult:
    output: Path
    articles: int
    title: str
    placeholders: list          # (path, where)
    warnings: list
    stamp: list
    lang: str


def check_target(output: Path, force: bool) -> None:
    if output.exists() and not force:
        raise UserError(f"{output} already exists; use --force to overwrite it")
    if output.exists() and output.is_dir():
        raise UserError(f"{output} is a folder; give a file name ending in .docx")
    if not output.parent.exists():
        raise UserError(f"{output.parent}: no such folder")


def build(answers: Path, output: Path, force: bool = False, library=None) -> BuildResult:
    from .answers import load_answers
    from .assemble import assemble
    from .docx import write_docx
    from .library import load_library

    answers, output = Path(answers), Path(output)
    check_target(output, force)
    library = library or load_library()
    resolved = load_answers(answers, library)
    draft = assemble(library, resolved)
    write_docx(draft, library.style, output)
    return BuildResult(output, len(draft.articles), draft.title, draft.placeholders, resolved.warnings, draft.stamp,
                       resolved.lang)
