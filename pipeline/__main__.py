"""`python -m wenmi` is the `wenmi` command."""

from . import wenmi

wenmi()
