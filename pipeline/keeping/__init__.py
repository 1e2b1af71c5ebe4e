"""Keeping: what a build leaves behind and what it answers later — the manifest, staging,
lock, diff, redline, refresh."""

STATE_FOLDER = ".wenmi"     # in the project folder: the manifest, its copies per build, the lock
