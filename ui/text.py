"""Text from documents and users shown as text: never as a link, an image, a formula or HTML."""
from __future__ import annotations

import re

# what gives text a meaning in markdown anywhere in a line, $math$ included
_ESCAPED = set("\\`*_{}[]#!|~$&")
# a colon starting a web address (http://), an :emoji: or a Streamlit :directive[…]; a www. address
_AUTOLINK = re.compile(r":(?=[/A-Za-z])|(?i:(?<![A-Za-z0-9])www)\.")
_ENTITIES = {"<": "&lt;", ">": "&gt;"}
# what means something only at the start of a line: lists, quotes, headings' underlines, rules
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def _line(text: str) -> str:
    out = "".join(_ENTITIES.get(c) or ("\\" + c if c in _ESCAPED else c) for c in text)
    out = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], out)
    m = _LINE_START.match(out)
    if m:  # "1." / "1)" keep the number and escape the mark after it; "-", "+", "=" are escaped themselves
        cut = m.end() if m.group(2)[0].isdigit() else m.start(2)
        out = out[:cut] + "\\" + out[cut:]
    return out


def plain(text: object) -> str:
    """Text for st.markdown, captions, messages and widget labels that shows exactly as written.

    A plan's heading or a task title may carry ![x](http://…) or <img src=…>; rendered as markdown, every
    viewer's browser would fetch that address. Escaped, it is shown as the characters it is.
    """
    return "  \n".join(_line(line) for line in ("" if text is None else str(text)).split("\n"))


def plain_lines(text: str) -> str:
    """A message's body as markdown that keeps its line breaks and indentation, showing exactly as written."""
    lines = []
    for line in plain(text or "").replace("  \n", "\n").splitlines():
        stripped = line.lstrip(" ")
        pad = "&nbsp;" * (len(line) - len(stripped)) * 2
        lines.append(pad + re.sub(r"^(\d+)\. ", r"\1\\. ", stripped))
    return "  \n".join(lines)


def plain_table(data):
    """A table (a DataFrame or its Styler) whose text cells cannot turn into formulas when downloaded as CSV.

    Streamlit's table toolbar offers "download as CSV" and writes the cells as they are; a title such as
    =HYPERLINK(…) would be a live formula in Excel. Text that would start a formula gets a leading ', as in
    every file duban writes (duban.rules.cells); everything else is shown unchanged.
    """
    import pandas as pd

    from duban.rules.cells import safe_cell

    frame = getattr(data, "data", data)  # a Styler keeps its frame in .data and styles it when drawn
    if isinstance(frame, pd.DataFrame):
        for column in frame.columns:
            if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
                frame[column] = frame[column].map(safe_cell)
    return data
