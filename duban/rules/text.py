"""Free text as it may be stored and written into Word or Excel: line breaks made \\n, control characters dropped."""
from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, lone surrogates and the two non-characters XML refuses
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def printable(text: object) -> str:
    """Text safe to store and to put in a Word or Excel file: line breaks made \\n (Word's soft break, \\x0b,
    included), tabs kept, every other control character dropped."""
    return _UNPRINTABLE.sub("", _BREAKS.sub("\n", "" if text is None else str(text)))
