"""文秘 Wenmi: figures in, 公文 out.

Stages, one module each, in the order a build runs them:
project (read the YAML specs) → load (ledgers to tables) → aggregate (metrics to figures)
→ render (Jinja2 to Markdown) → assemble (Markdown to the document model, numbered)
→ writers (model to DOCX / HTML / Markdown bytes) → build (the driver, does all I/O).
"""

__version__ = "0.1.0"
