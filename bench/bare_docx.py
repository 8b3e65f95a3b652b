"""The baseline: a bare python-docx script writing the same paragraphs (no numbering, no checks)."""
import json
import sys

import docx

paragraphs = json.load(open(sys.argv[1], encoding="utf-8"))
document = docx.Document()
for text in paragraphs:
    document.add_paragraph(text)
document.save(sys.argv[2])
