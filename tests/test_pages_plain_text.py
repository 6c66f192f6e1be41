"""Text from plans and users is shown as text on every page: no link, no external image, no HTML, no bold."""
from __future__ import annotations

import re

import pytest

from tests.conftest import DEMO_TODAY
from tests.support import app_as

EVIL = "![x](http://127.0.0.1:9/x.png) [点我](http://evil) <img src=x> **粗体** "
OVERVIEW, TASKS, MY_TASKS, REVIEW = "pages/overview.py", "pages/tasks.py", "pages/my_tasks.py", "pages/review.py"
INDICATORS, MEETINGS = "pages/indicators.py", "pages/meetings.py"


@pytest.fixture
def demo(demo_db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", DEMO_TODAY.isoformat())
    with demo_db.conn:
        for sql in ("UPDATE tasks SET title = ? || title", "UPDATE plans SET title = ? || title",
                    "UPDATE indicators SET name = ? || name", "UPDATE meetings SET title = ? || title, notes = ?",
                    "UPDATE departments SET name = ? || name"):
            demo_db.conn.execute(sql, [EVIL] * sql.count("?"))
    return demo_db


def rendered(at) -> list[str]:
    """Every piece of text the page hands to Streamlit's markdown: bodies, captions, messages and labels."""
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("expander", "metric", "tabs", "button", "checkbox"):
        try:
            out += [str(e.label) for e in getattr(at, kind)]
        except (AttributeError, KeyError):
            pass
    return out


def assert_shown_as_text(at, *, shown: bool = True) -> None:
    assert not at.exception
    texts = rendered(at)
    assert not shown or any("点我" in t for t in texts), "the page shows none of the imported text"
    for text in texts:
        assert not re.search(r"(?<!\\)!\[", text), text        # no image
        assert not re.search(r"(?<!\\)\]\(http", text), text   # no link
        assert "<img" not in text, text                       # no raw HTML
        assert not re.search(r"(?<!\\)\*\*粗体", text), text   # no bold from the data


def test_overview(demo):
    at = app_as(demo, "bangong", OVERVIEW)
    picker = at.selectbox(key="ov_plan")
    picker.select(picker.options[1]).run()  # the caption then names the chosen plan
    assert_shown_as_text(at)


def test_task_list_and_detail(demo):
    at = app_as(demo, "bangong", TASKS)
    assert_shown_as_text(at, shown=False)  # the list itself is a table (text by nature)
    task = demo.conn.execute("SELECT task_id FROM reports ORDER BY id LIMIT 1").fetchone()[0]
    detail = app_as(demo, "bangong")
    detail.query_params.update(task=str(task))
    assert_shown_as_text(detail.switch_page(TASKS).run())


def test_my_tasks(demo):
    assert_shown_as_text(app_as(demo, "zz-minzheng", MY_TASKS))


def test_review(demo):
    assert demo.conn.execute("SELECT count(*) FROM reports WHERE review_state='待审核'").fetchone()[0]
    assert_shown_as_text(app_as(demo, "bangong", REVIEW))


def test_indicators(demo):
    assert_shown_as_text(app_as(demo, "bangong", INDICATORS))


def test_meetings(demo):
    assert demo.conn.execute("SELECT count(*) FROM meetings").fetchone()[0]
    assert_shown_as_text(app_as(demo, "bangong", MEETINGS))


def test_a_formula_like_title_stays_text_in_the_task_table(demo):
    formula = '=HYPERLINK("http://evil","点我")'
    with demo.conn:
        demo.conn.execute("UPDATE tasks SET title = ? WHERE id = (SELECT min(id) FROM tasks)", [formula])
    at = app_as(demo, "bangong", TASKS)
    assert not at.exception
    titles = list(next(d for d in at.dataframe if (d.key or "").startswith("task_table")).value["任务"])
    assert "'" + formula in titles and formula not in titles


@pytest.mark.parametrize(("text", "shown"), [
    ("![x](http://h/x.png)", "\\!\\[x\\](http\\://h/x.png)"),
    ("<img src=x>", "&lt;img src=x&gt;"),
    ("**粗体** `代码` $x$ :red[红]", "\\*\\*粗体\\*\\* \\`代码\\` \\$x\\$ \\:red\\[红\\]"),
    ("1. 第一条\n- 列表\n# 标题", "1\\. 第一条  \n\\- 列表  \n\\# 标题"),
    ("验收单.pdf(第2版) 已修正:目标值", "验收单.pdf(第2版) 已修正:目标值"),
    ("见 www.evil.example 或 https://evil.example", "见 www\\.evil.example 或 https\\://evil.example"),
])
def test_the_escaping_rule(text, shown):
    from ui.text import plain

    assert plain(text) == shown
