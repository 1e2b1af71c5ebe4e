"""Tests mirror pipeline/'s wings (reading/, composing/, writers/, keeping/); the shared
helpers beside this file (helpers, example_ledgers, project_copies) are importable from
every folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
