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


def build(answers: Path, output: Path, force: bool = False, library=None, pack_path=(), clean: bool = False,
          memo: Path | None = None, reference: Path | None = None) -> BuildResult:
    from .answers import library_for, read_answers, resolve
    from .assemble import assemble
    from .docx import write_docx

    answers, output = Path(answers), Path(output)
    tree = read_answers(answers)         # a missing or broken answers file is the first thing to hear of
    check_target(output, force)
    if memo is not None:
        check_target(Path(memo), force)
    if library is None or (tree.get("usecase") and tree.get("usecase") not in library.packs):
        library = library_for(tree, pack_path, str(answers), answers)
    if tree.get("language") == "ja+en":
        return _build_bilingual(tree, library, answers, output, memo, reference, clean)
    resolved = resolve(tree, library, str(answers), answers.parent)
    draft = assemble(library, resolved)
    if memo is not None:
        from .docx.memo import write_memo
        from .memo import memo_rows
        write_memo(library, resolved, draft, memo_rows(library, resolved, draft), Path(memo))
    write_docx(draft, library.style, output, comments=not clean, reference=reference)
    return BuildResult(output, len(draft.articles), draft.title, draft.placeholders, resolved.warnings, draft.stamp,
                       resolved.lang)


def _build_bilingual(tree, library, answers: Path, output: Path, memo, reference, clean: bool) -> BuildResult:
    from .answers import resolve
    from .assemble import assemble
    from .docx.bilingual import write_bilingual

    drafts = {}
    for lang in ("ja", "en"):
        resolved = resolve(tree, library, str(answers), answers.parent, lang_override=lang)
        drafts[lang] = assemble(library, resolved)
    if memo is not None:
        from .docx.memo import write_memo
        from .memo import memo_rows
        resolved = resolve(tree, library, str(answers), answers.parent, lang_override="ja")
        write_memo(library, resolved, drafts["ja"], memo_rows(library, resolved, drafts["ja"]), Path(memo))
    write_bilingual(drafts["ja"], drafts["en"], library.style, output, comments=not clean, reference=reference)
    ja = drafts["ja"]
    return BuildResult(output, len(ja.articles), f"{ja.title} / {drafts['en'].title}", ja.placeholders,
                       resolved.warnings, ja.stamp, "ja")


def build_batch(folder: Path, outdir: Path, force: bool = False, pack_path=(), clean: bool = False, progress=None):
    """Build every answers file in `folder` into `outdir`, loading each library once."""
    from .answers import library_for, read_answers
    from .errors import UserError

    files = sorted(Path(folder).glob("*.yaml"))
    if not files:
        raise UserError(f"{folder}: no answers files (*.yaml) here")
    Path(outdir).mkdir(parents=True, exist_ok=True)
    libraries: dict = {}
    results, failures = [], []
    for done, path in enumerate(files, 1):
        try:
            tree = read_answers(path)
            usecase = tree.get("usecase") if isinstance(tree.get("usecase"), str) else None
            if usecase not in libraries:
                libraries[usecase] = library_for(tree, pack_path, str(path), path)
            results.append(build(path, Path(outdir) / (path.stem + ".docx"), force=force, library=libraries[usecase],
                                 clean=clean))
        except UserError as exc:
            failures.append((path.name, str(exc)))
        if progress:
            progress(done, len(files), path.name)
    return results, failures
