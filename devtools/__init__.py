"""Helpers shared by the tests and the benchmarks, neither of which imports the other.

Not part of the handbook: pyproject.toml packages only handbook*, so this
folder is never shipped; tests/ and bench/ find it at the repository root.
"""
