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


def wenmi() -> None:
    """The `wenmi` command and `python -m wenmi` (pipeline/cli.py), run without the
    cyclic garbage collector. A command is one short process whose objects (modules,
    ledgers, documents) mostly live until it exits and make almost no reference cycles;
    the collector's passes over them while pandas, python-docx and the rest are imported
    cost 0.06-0.09 s of every command, before any work. So it is switched off before the
    command's modules are imported, here, in the one module every command imports first."""
    import gc
    gc.disable()
    from .cli import run
    run()
