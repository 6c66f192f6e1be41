"""The one error extraction raises: the document cannot be turned into a plan."""
from __future__ import annotations

from duban.errors import InputError


class ExtractionError(InputError):
    """The document is unreadable, empty, too large or carries no tasks; str() is the Chinese message."""
