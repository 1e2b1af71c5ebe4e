"""`python -m pipeline` is the `wenmi` command."""

from . import wenmi

wenmi()
