"""Turning a draft model (contractkit.draft) into a .docx: the only place that writes OOXML.

Every output is written the same way, `write(model, target, options)`: `model` is a `Draft` (one
language), a `Bilingual` (ja+en side by side), a `Memo`, a `Redline` (NEW with tracked
changes against OLD) or a `Review` (the internal report on the other side's changes); `target` a path or a binary
file object; `options` a `WriteOptions` (the style file, comments or not, a firm's reference template,
the draft header)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..draft import Bilingual, Draft, Memo
from ..redline import Redline
from ..review import Review
from .package import write_docx

__all__ = ["WriteOptions", "write", "write_docx"]


@dataclass
class WriteOptions:
    style: dict                               # the style file (library.style): page, faces, sizes
    comments: bool = True                     # the guideline comments (False: --clean)
    reference: Path | None = None             # --reference-docx: a firm's .docx or .dotx
    draft_header: tuple[str, str] | None = None   # (version, ISO date): "ドラフト v2（…）" on every page


def write(model, target, options: WriteOptions) -> None:
    """Write `model` into `target` as Word: one writer per kind of model."""
    if isinstance(model, Draft):
        write_docx(model, options.style, target, comments=options.comments, reference=options.reference,
                   draft_header=options.draft_header)
    elif isinstance(model, Bilingual):
        from .bilingual import write_bilingual
        write_bilingual(model.ja, model.en, options.style, target, comments=options.comments,
                        reference=options.reference, draft_header=options.draft_header)
    elif isinstance(model, Redline):
        from .redline import write_redline
        write_redline(model.old, model.new, options, target, model.author)
    elif isinstance(model, Review):
        from .review import write_review
        write_review(model, target)
    elif isinstance(model, Memo):
        from .memo import write_memo
        write_memo(model.library, model.resolved, model.draft, model.rows, target)
    else:
        raise TypeError(f"no writer for {type(model).__name__}")
