"""Turning a Draft into a .docx: the only place that writes OOXML."""
from .package import write_docx

__all__ = ["write_docx"]
