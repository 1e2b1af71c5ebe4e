"""`python -m pipeline` is the `wenmi` command."""

from .cli import run

run()
