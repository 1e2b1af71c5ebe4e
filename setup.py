"""The package list, the one part of the packaging pyproject.toml cannot say without naming
every folder: pyproject.toml maps the import name wenmi onto pipeline/ (package-dir), so
setuptools' own discovery, which names packages after their folders, does not apply. Every
folder of pipeline/ with an __init__.py is found here, so a new one needs no edit."""

from setuptools import find_packages, setup

setup(packages=["wenmi", *(f"wenmi.{name}" for name in find_packages("pipeline")),
                "wenmi.example.inputs", "wenmi.example.templates"])
