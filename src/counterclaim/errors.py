"""Exceptions raised by counterclaim.

CounterclaimError
 ├── InputError        a document cannot be read (empty, binary, bad encoding, too large)
 ├── GazetteerError    the place index cannot be built, loaded or extended
 ├── DataFileError     a shipped or user data file (actors, lexicons) is malformed
 ├── StoreError        the store cannot be opened, migrated, read or written
 └── ExportError       claims cannot be exported in the format asked for

Every error names the item it is about (file, line, document) in its message.
"""

from __future__ import annotations


class CounterclaimError(Exception):
    """Base class of every error counterclaim raises on purpose."""


class InputError(CounterclaimError):
    """A document could not be read or is not text worth analysing."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class GazetteerError(CounterclaimError):
    """The gazetteer could not be built, loaded or extended."""


class DataFileError(CounterclaimError):
    """A data file (actors, lexicon, gazetteer extra) is malformed."""


class StoreError(CounterclaimError):
    """The store cannot be opened, migrated, read or written."""


class ExportError(CounterclaimError):
    """Claims cannot be exported in the format asked for."""
