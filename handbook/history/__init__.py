"""The content's history, from git: what changed in each measure, when, and how (read.py, changes.py)."""
