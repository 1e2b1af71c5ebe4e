"""The YAML specs as the last build parsed them, so that a build with nothing to do need not
parse them again: PyYAML's parser, written in Python, takes a tenth of a second over the
example's specs, most of such a build.

A file's tree is taken from the keeping only when the file's text is the one parsed (its
SHA-256) by the same reader (the SHA-256 of reading/specs.py and PyYAML's version): the same
mappings, with the line of each key, the same lists, texts, numbers and dates. A tree that
JSON cannot give back as it was — anchors shared by two places, a set, bytes — is not kept,
and its file is parsed every time. A keeping that is missing, damaged or of another reader
is parsed anew, and writing it is only an attempt (a read-only folder keeps none).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import os
from pathlib import Path

import yaml

from . import specs


class _NotKept(Exception):
    """A tree JSON cannot hold as it was parsed."""


class ParsedSpecs:
    """The keeping of parsed specs in one JSON file: tree by file (as shown), with the
    SHA-256 of the text it was parsed from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.trees: dict[str, list] = {}
        self.used: set[str] = set()
        self.changed = False
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
            if kept["reader"] == _reader():
                self.trees = dict(kept["trees"])
        except (OSError, ValueError, TypeError, KeyError):
            pass                        # none yet, damaged, or of another reader

    def get(self, shown: str, text: str):
        """The tree parsed from `text`, the whole text of the file `shown`; None when there is
        none (nor for an empty file, which parses at once)."""
        self.used.add(shown)
        kept = self.trees.get(shown)
        if not isinstance(kept, list) or len(kept) != 2 or kept[0] != _digest(text):
            return None
        try:
            return _decoded(kept[1])
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    def put(self, shown: str, text: str, tree) -> None:
        try:
            self.trees[shown] = [_digest(text), _encoded(tree, set())]
        except _NotKept:
            self.trees.pop(shown, None)
        self.changed = True

    def save(self) -> None:
        """Write the trees of the files read this time, if any was parsed."""
        if not self.changed:
            return
        trees = {shown: tree for shown, tree in self.trees.items() if shown in self.used}
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        try:
            self.path.parent.mkdir(exist_ok=True)
            temporary.write_text(json.dumps({"reader": _reader(), "trees": trees}), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def _reader() -> str:
    return hashlib.sha256(Path(specs.__file__).read_bytes() + yaml.__version__.encode()).hexdigest()


def _encoded(value, seen: set[int]):
    """`value` as JSON: a mapping as its pairs and the line of each key, a date or time tagged."""
    if isinstance(value, (dict, list)):
        if id(value) in seen:           # an alias: parsed, it is the same object twice
            raise _NotKept
        seen.add(id(value))
    if isinstance(value, specs._Mapping):
        return {"pairs": [[key, _encoded(item, seen)] for key, item in value.items()],
                "lines": [value.key_lines[key] for key in value]}
    if isinstance(value, list):
        return [_encoded(item, seen) for item in value]
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise _NotKept


def _decoded(value):
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "date" in value:
        return datetime.date.fromisoformat(value["date"])
    if "datetime" in value:
        return datetime.datetime.fromisoformat(value["datetime"])
    mapping = specs._Mapping((key, _decoded(item)) for key, item in value["pairs"])
    mapping.key_lines = dict(zip(mapping, value["lines"]))
    return mapping
