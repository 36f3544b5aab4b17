"""A redline of two Word files written into the newer file (see redline.py): the walk of
a file's stories (walk.py), tracked changes already there (pending.py), the pairing and
word diff of drafting.compare applied to them (story.py, notes.py), the XML edits
(marks.py), content carried over from the older file (carry.py), the package (parts.py).
"""

from .redline import Redline, redline_files

__all__ = ["Redline", "redline_files"]
