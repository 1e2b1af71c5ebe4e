"""Keeping: what a build leaves behind and what it answers later — the manifest, staging, lock, diff, redline, refresh."""
