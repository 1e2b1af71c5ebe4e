"""文秘 Wenmi: figures in, 公文 out.

Stages, one module each, in the order a build runs them:
project (read the YAML specs) → load (ledgers to tables) → aggregate (metrics to figures)
→ render (Jinja2 to Markdown) → assemble (Markdown to the document model, numbered)
→ writers (model to DOCX / HTML / Markdown bytes) → build (the driver, does all I/O).
"""

import os

__version__ = "0.1.0"

# numpy's OpenBLAS starts a thread per core when imported, which spins for a while after
# any use. Wenmi does no linear algebra, and a batch build wants both cores for its own
# dossier workers (pipeline/batch.py). Set before anything imports numpy; a user's own
# setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
