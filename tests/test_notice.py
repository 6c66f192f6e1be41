"""催办单 / 督办单: a numbered Word notice to a unit listing its late items by colour, with a reply-by date."""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from docx import Document

from duban.access import Actor
from duban.errors import AccessDenied, InputError
from duban.reports import notice
from duban.services import notices
from tests.remind_world import add_task, make_world
from tests.support import ROOT

MON = dt.date(2026, 11, 23)


@pytest.fixture
def world(db):
    w = make_world(db)
    add_task(db, w, "late", "制定养老服务设施布局专项规划", [(w.a, "lead")], "2026-11-09")        # 14 days overdue
    add_task(db, w, "soon", "建设社区嵌入式养老服务设施", [(w.a, "co")], "2026-12-01", progress=90)  # due in 8 days
    add_task(db, w, "behind", "完善普惠托育服务价格机制", [(w.a, "lead")], "2027-06-30", progress=0)  # behind
    add_task(db, w, "fine", "推进老年助餐服务", [(w.a, "lead")], "2027-12-31", progress=80)
    add_task(db, w, "b_soon", "开展托育机构质量评估", [(w.b, "lead")], "2026-12-01", progress=90)
    return w


def office(world) -> Actor:
    return Actor(user_id=world.office, username="bangong", role="office")


def cell_fill(cell) -> str | None:
    shd = cell._element.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd")
    return None if shd is None else shd.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")


def test_items_are_blue_when_approaching_yellow_when_behind_red_when_overdue(db, world):
    levels = {i["title"]: i["level"] for i in notices.classify(db, world.a, MON)}
    assert levels == {"制定养老服务设施布局专项规划": "红", "完善普惠托育服务价格机制": "黄",
                      "建设社区嵌入式养老服务设施": "蓝"}


def test_the_notice_is_numbered_addressed_lists_the_items_and_the_reply_date(db, world):
    made = notice.build(db, office(world), world.a, MON)
    assert made.title == "督办单" and made.number == "督办〔2026〕第1号"
    assert made.reply_by == dt.date(2026, 11, 30)
    doc = Document(io.BytesIO(made.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "督办单" in text and "督办〔2026〕第1号" in text
    assert "郑州市民政局:" in text
    assert "请于 2026年11月30日 前" in text
    assert "《郑州市“一老一小”整体解决方案》" in text
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "任务事项", "责任", "完成时限", "当前情况", "预警"]
    assert [r[1].split(" ", 1)[1] for r in rows[1:]] == ["制定养老服务设施布局专项规划", "完善普惠托育服务价格机制",
                                                        "建设社区嵌入式养老服务设施"]
    assert "逾期 14 天" in rows[1][4] and rows[3][2] == "配合"
    assert [cell_fill(r.cells[5]) for r in table.rows[1:]] == [notice.SHADES["红"], notice.SHADES["黄"],
                                                               notice.SHADES["蓝"]]
    assert "推进老年助餐服务" not in str(rows)

    second = notice.build(db, office(world), world.a, MON)
    assert second.number == "督办〔2026〕第2号"


def test_a_unit_with_only_approaching_items_gets_a_blue_reminder_notice_with_its_own_numbering(db, world):
    made = notice.build(db, office(world), world.b, MON)
    assert made.title == "提醒单" and made.number == "提醒〔2026〕第1号"


def test_no_notice_without_items_and_none_for_liaisons(db, world):
    with pytest.raises(InputError, match="无需发单"):
        notice.build(db, office(world), world.c, MON)
    liaison = Actor(user_id=world.user_a, username="zz-a", role="liaison", department_ids=frozenset({world.a}))
    with pytest.raises(AccessDenied):
        notice.build(db, liaison, world.a, MON)


def test_cli_writes_the_notice(db, db_path, world, tmp_path):
    out = tmp_path / "notice.docx"
    res = subprocess.run([sys.executable, "-m", "duban", "notice", "--dept", str(world.a), "--today", "2026-11-23",
                          "--out", str(out)], cwd=ROOT, env={**os.environ, "DUBAN_DB": str(db_path)},
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "督办〔2026〕第1号" in res.stdout
    assert "督办〔2026〕第1号" in "\n".join(p.text for p in Document(str(out)).paragraphs)
    bad = subprocess.run([sys.executable, "-m", "duban", "notice", "--dept", "999", "--today", "2026-11-23",
                          "--out", str(out)], cwd=ROOT, env={**os.environ, "DUBAN_DB": str(db_path)},
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("错误:单位不存在")
