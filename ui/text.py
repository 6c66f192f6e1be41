"""Text from documents and users shown as text: never as a link, an image, a formula or HTML."""
from __future__ import annotations

# every ASCII punctuation mark markdown, Streamlit's :directives: and $math$ give a meaning to
_ESCAPED = set("\\`*_{}[]()#+-.!|~$:=^\"'&")
_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def plain(text: object) -> str:
    """Text for st.markdown, captions, messages and widget labels that shows exactly as written.

    A plan's heading or a task title may carry ![x](http://…) or <img src=…>; rendered as markdown, every
    viewer's browser would fetch that address. Escaped, it is shown as the characters it is.
    """
    out = []
    for c in "" if text is None else str(text):
        if c in _ENTITIES:
            out.append(_ENTITIES[c])
        elif c in _ESCAPED:
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out).replace("\n", "  \n")


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
            if frame[column].dtype == object:
                frame[column] = frame[column].map(safe_cell)
    return data
