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
    """An early word on a target that cannot be written (the write itself decides: see files.py)."""
    if output.exists() and not force:
        raise UserError(f"{output} already exists; use --force to overwrite it")
    if output.exists() and output.is_dir():
        raise UserError(f"{output} is a folder; give a file name ending in .docx")
    if not output.parent.exists():
        raise UserError(f"{output.parent}: no such folder")
    if not output.parent.is_dir():
        raise UserError(f"{output.parent} is a file, not a folder")


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def check_distinct(answers: Path, output: Path, memo: Path | None, reference: Path | None) -> None:
    """No output may be an input, or the other output: `-o deal.yaml --force` would replace the
    answers with the draft, `--memo` equal to `-o` one output with the other."""
    if _same_file(output, answers):
        raise UserError(f"-o {output} is the answers file itself; give the draft a name of its own, "
                        f"such as {answers.with_suffix('.docx').name}")
    if reference is not None and _same_file(output, reference):
        raise UserError(f"-o {output} is the --reference-docx template itself; give the draft a name of its own")
    if memo is not None:
        if _same_file(memo, output):
            raise UserError(f"--memo {memo} is also the draft (-o {output}); give the memo a name of its own, "
                            f"such as {output.stem}-memo.docx")
        if _same_file(memo, answers):
            raise UserError(f"--memo {memo} is the answers file itself; give the memo a name of its own")
        if reference is not None and _same_file(memo, reference):
            raise UserError(f"--memo {memo} is the --reference-docx template itself; give the memo a name of its own")


def build(answers: Path, output: Path, force: bool = False, library=None, pack_path=(), clean: bool = False,
          memo: Path | None = None, reference: Path | None = None, memo_lang: str | None = None,
          draft_header: tuple[str, str] | None = None) -> BuildResult:
    """Build a draft (and its memo) from an answers file: both are written, or neither. `memo_lang`
    is the memo's language for a bilingual draft (ja unless told); a one-language draft's memo is
    in its language, and asking for another is refused. `draft_header`: (version, ISO date) for a
    "draft" header on every page."""
    from .answers import library_for, read_answers, resolve
    from .assemble import assemble
    from .docx import WriteOptions, write
    from .files import write_together

    answers, output = Path(answers), Path(output)
    memo = Path(memo) if memo is not None else None
    reference = Path(reference) if reference is not None else None
    tree = read_answers(answers)         # a missing or broken answers file is the first thing to hear of
    check_distinct(answers, output, memo, reference)
    check_target(output, force)
    if memo is not None:
        check_target(memo, force)
    if library is None or (tree.get("usecase") and tree.get("usecase") not in library.packs):
        library = library_for(tree, pack_path, str(answers), answers)
    if tree.get("language") == "ja+en":
        return _build_bilingual(tree, library, answers, output, memo, reference, clean, force, memo_lang or "ja",
                                draft_header)
    resolved = resolve(tree, library, str(answers), answers.parent)
    if memo_lang is not None and memo_lang != resolved.lang:
        raise UserError(f"--memo-lang {memo_lang}: this draft is in {resolved.lang} only, and so is its memo; "
                        "--memo-lang chooses the memo's language of a bilingual (ja+en) draft")
    draft = assemble(library, resolved)
    options = WriteOptions(library.style, comments=not clean, reference=reference, draft_header=draft_header)
    outputs = [(output, lambda fh: write(draft, fh, options))]
    if memo is not None:
        outputs.append((memo, _memo_writer(library, resolved, draft)))
    write_together(outputs, force)
    return BuildResult(output, len(draft.articles), draft.title, draft.placeholders, resolved.warnings, draft.stamp,
                       resolved.lang)


def _memo_writer(library, resolved, draft):
    from .docx import WriteOptions, write
    from .draft import Memo
    from .memo import memo_rows

    memo = Memo(library, resolved, draft, memo_rows(library, resolved, draft))
    return lambda fh: write(memo, fh, WriteOptions(library.style))


def _build_bilingual(tree, library, answers: Path, output: Path, memo, reference, clean: bool,
                     force: bool, memo_lang: str = "ja", draft_header: tuple[str, str] | None = None) -> BuildResult:
    from .docx import WriteOptions, write
    from .draft import Bilingual
    from .files import write_together

    drafts, resolutions = bilingual_drafts(tree, library, answers)
    options = WriteOptions(library.style, comments=not clean, reference=reference, draft_header=draft_header)
    outputs = [(output, lambda fh: write(Bilingual(drafts["ja"], drafts["en"]), fh, options))]
    if memo is not None:
        outputs.append((memo, _memo_writer(library, resolutions[memo_lang], drafts[memo_lang])))
    write_together(outputs, force)
    ja = drafts["ja"]
    return BuildResult(output, len(ja.articles), f"{ja.title} / {drafts['en'].title}", ja.placeholders,
                       resolutions["ja"].warnings, ja.stamp, "ja")


def bilingual_drafts(tree, library, answers: Path) -> tuple[dict, dict]:
    """The Japanese and English drafts of a ja+en answers file (and their resolved answers), their
    definitions articles defining the same terms row by row."""
    from .answers import resolve
    from .assemble import assemble

    drafts, resolutions = {}, {}
    for lang in ("ja", "en"):
        resolutions[lang] = resolved = resolve(tree, library, str(answers), answers.parent, lang_override=lang)
        if lang == "en":
            resolved.term_order = drafts["ja"].term_ids    # each definitions row: one term in both columns
        drafts[lang] = assemble(library, resolved)
    if set(drafts["en"].term_ids) - set(drafts["ja"].term_ids):
        # a term only the English uses: the Japanese column defines it too, in the same row
        resolutions["ja"] = resolved = resolve(tree, library, str(answers), answers.parent, lang_override="ja")
        resolved.term_order = drafts["en"].term_ids
        drafts["ja"] = assemble(library, resolved)
    return drafts, resolutions


def draft_model(answers: Path, library=None, pack_path=()):
    """(the draft model, the resolved answers) an answers file builds: a `Draft`, or a `Bilingual`
    for ja+en (resolved: the Japanese side's)."""
    from .answers import library_for, read_answers, resolve
    from .assemble import assemble
    from .draft import Bilingual

    answers = Path(answers)
    tree = read_answers(answers)
    if library is None or (tree.get("usecase") and tree.get("usecase") not in library.packs):
        library = library_for(tree, pack_path, str(answers), answers)
    if tree.get("language") == "ja+en":
        drafts, resolutions = bilingual_drafts(tree, library, answers)
        return Bilingual(drafts["ja"], drafts["en"]), resolutions["ja"], library
    resolved = resolve(tree, library, str(answers), answers.parent)
    return assemble(library, resolved), resolved, library


def build_batch(folder: Path, outdir: Path, force: bool = False, pack_path=(), clean: bool = False, progress=None):
    """Build every answers file in `folder` into `outdir`, loading each library once."""
    from .answers import library_for, read_answers
    from .errors import UserError

    if not Path(folder).is_dir():
        raise UserError(f"--batch {folder}: no such folder" if not Path(folder).exists()
                        else f"--batch {folder} is a file, not a folder of answers files")
    files = sorted(Path(folder).glob("*.yaml"))
    if not files:
        raise UserError(f"{folder}: no answers files (*.yaml) here")
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UserError(f"-o {outdir} is a file; with --batch, -o names the folder for the drafts")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from .files import os_error
        raise os_error(outdir, exc, "cannot create this folder") from None
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
