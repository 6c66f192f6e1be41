"""Text from plans and users never becomes a live formula in a file the office downloads."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from duban.reports.ledger import render_xlsx
from duban.rules.cells import safe_cell

DANGEROUS = ['=HYPERLINK("http://evil.example","点我")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_would_start_a_formula_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["推进养老服务", "-5", "+3.5%", "", 12, None, "—"])
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_the_ledger_writes_formula_like_text_as_quoted_text():
    row = {"seq": 1, "title": DANGEROUS[0], "lead": "@市民政局", "unit": "-市财政局", "deadline": "+2026年底",
           "progress": "=1+1", "status": "推进中", "light": "绿", "origin": "规划"}
    data = {"title": "=某规划", "today": "2026-11-22", "period": None, "ledger": [row]}
    ws = load_workbook(io.BytesIO(render_xlsx(data))).active
    values = {c.value: c.data_type for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    for text in (DANGEROUS[0], "@市民政局", "-市财政局", "+2026年底", "=1+1", "=某规划工作台账"):
        assert values.get("'" + text) == "s", (text, values)
        assert text not in values
