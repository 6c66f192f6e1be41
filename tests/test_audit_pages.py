"""What one user types is shown to another as text: no link, colour, formula or bold appears that was not
written by the app; a bad address (query parameter) gets a message, not a traceback."""
from __future__ import annotations

import re

import pytest

from duban.services import reports, review
from tests.reports_world import PDF, TODAY, actor, build
from tests.support import app_as

LINK = "[点此登录](https://evil.example.com/login)"
# markdown a user may type that must never be interpreted: links, colour directives, maths, bold
UNESCAPED = re.compile(r"(?<!\\)\[点此登录(?<!\\)\]|(?<!\\):red(?<!\\)\[|(?<!\\)\$x|(?<!\\)\*\*加急")


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    return build(db)


def _markdown_sources(at) -> list[str]:
    """Every string the page hands to the markdown renderer (markdown, captions, messages, expander labels)."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [str(e.label) for e in at.expander]
    return out


def test_a_co_departments_coordination_request_and_file_name_show_as_text_to_the_office(db, world):
    reports.file_report(db, actor(db, "zz-weijian"), world.shared, "配合推进", 20, "需协调", TODAY,
                        coordination_need="**加急** :red[用地] $x^2$", coordination_from=LINK,
                        evidence=[("**加急**说明 :red[件].pdf", PDF)])
    at = app_as(db, "bangong", None)
    at.query_params["task"] = str(world.shared)
    at.switch_page("pages/tasks.py").run()
    assert not at.exception
    shown = "\n".join(_markdown_sources(at))
    assert "点此登录" in shown and "用地" in shown and "说明" in shown
    assert not UNESCAPED.search(shown), UNESCAPED.search(shown)


def test_a_return_reason_in_the_inbox_shows_as_text(db, world):
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "已建成", 100, "已完成", TODAY)
    review.return_report(db, actor(db, "bangong"), rid, f"请按 :red[模板] 补充 $x^2$ 材料,{LINK}", TODAY)
    at = app_as(db, "zz-minzheng", "pages/inbox.py")
    assert not at.exception
    shown = "\n".join(_markdown_sources(at))
    assert "模板" in shown and "点此登录" in shown
    assert not UNESCAPED.search(shown), UNESCAPED.search(shown)


def test_a_liaisons_textual_indicator_value_shows_as_text(db, world):
    ind = db.conn.execute("INSERT INTO indicators (plan_id, name, target, target_year, nature) "
                          "VALUES (?, '特困人员供养', '应保尽保', 2025, '约束性')", [world.plan]).lastrowid
    db.conn.execute("INSERT INTO indicator_units (indicator_id, department_id) VALUES (?, ?)", [ind, world.a])
    from duban.services import indicator_actuals

    indicator_actuals.report_actual(db, actor(db, "zz-minzheng"), ind, 2025, LINK, today=TODAY)
    at = app_as(db, "bangong", "pages/indicators.py")
    assert not at.exception
    shown = "\n".join(_markdown_sources(at))
    assert "点此登录" in shown
    assert not UNESCAPED.search(shown), UNESCAPED.search(shown)


@pytest.mark.parametrize("page, params", [
    ("pages/tasks.py", {"month": "2026-ab"}), ("pages/tasks.py", {"month": "abc"}), ("pages/tasks.py", {"due": LINK}),
    ("pages/tasks.py", {"plan": "x"}), ("pages/tasks.py", {"task": "1 OR 1=1"}),
    ("pages/overview.py", {"due": LINK}), ("pages/overview.py", {"month": LINK}), ("pages/overview.py", {"plan": LINK}),
])
def test_a_bad_address_gets_a_message_not_a_traceback_or_a_link(db, world, page, params):
    at = app_as(db, "bangong", None)
    at.query_params.update(params)
    at.switch_page(page).run()
    assert not at.exception
    shown = "\n".join(_markdown_sources(at))
    assert not UNESCAPED.search(shown), UNESCAPED.search(shown)
