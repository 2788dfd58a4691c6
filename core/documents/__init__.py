"""Documents and signature circuits, for plugins and regions.

PDFs rendered from the pages' own templates and stylesheets, numbered without a gap when
issued, immutable once issued, corrected by a new document; signed by their parties
through single-use emailed links or on paper. See docs/documents.md.
"""
