"""What every user notices on every page: the frame is there, nothing shows "None", a leader can change nothing,
odd links get a Chinese answer, and actions that cannot be undone ask first."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.support import app_as

ROLE_PAGES = {
    "bangong": ["overview", "tasks", "review", "cycles", "indicators", "meetings", "assessment", "inbox",
                "import_plan", "reminders", "accounts", "places"],
    "lingdao": ["overview", "tasks", "cycles", "indicators", "meetings", "assessment", "inbox"],
    "zz-minzheng": ["my_tasks", "tasks", "indicators", "inbox"],
}
# what a leader may click: downloads, drafts made from the figures, and marking the leader's own messages read
LEADER_BUTTONS = ("下载", "导出", "生成", "重新下载", "标为已读")
INPUTS = ("text_input", "text_area", "number_input", "date_input", "multiselect", "checkbox", "file_uploader")


def _frames(at) -> tuple[bool, bool]:
    """(the 演示数据 label, the 退出登录 button) in the sidebar."""
    return (any("演示数据" in w.value for w in at.sidebar.warning),
            any(b.key == "logout" for b in at.sidebar.button))


def _tables(at) -> list[pd.DataFrame]:
    frames = []
    for element in at.get("arrow_data_frame"):
        value = element.value
        frames.append(value.data if hasattr(value, "data") and not isinstance(value, pd.DataFrame) else value)
    return frames


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_every_page_has_the_frame_and_no_empty_cells(demo_db, username):
    """Each page the role sees runs inside the frame (demo label, logout) and its tables have no missing cells,
    which Streamlit would show as a grey English "None"."""
    at = app_as(demo_db, username)
    for page in ROLE_PAGES[username]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert _frames(at) == (True, True), page
        for table in _tables(at):
            missing = table.isna().sum()
            assert not missing.any(), (page, dict(missing[missing > 0]))
            assert not table.isin(["None", "nan", "NaN", "NaT"]).any().any(), page
        at.run()  # the next click runs the frame again too
        assert not at.exception and _frames(at) == (True, True), page


def test_the_leader_sees_no_write_controls(demo_db):
    at = app_as(demo_db, "lingdao")
    for page in ROLE_PAGES["lingdao"]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        labels = [b.label for b in at.main.button] + [b.label for b in at.get("download_button")]
        assert all(label.startswith(LEADER_BUTTONS) or "标为已读" in label for label in labels), (page, labels)
        filled = [x.label for kind in ("text_input", "text_area", "multiselect", "checkbox", "file_uploader")
                  for x in at.main.get(kind)]
        if page == "tasks":  # finding and showing, not writing
            filled.remove("搜索")
            filled.remove("显示更多列")
        assert filled == [], (page, filled)


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_a_malformed_task_link_gets_a_chinese_message(demo_db, value):
    for username, page in (("bangong", "tasks"), ("zz-minzheng", "my_tasks")):
        at = app_as(demo_db, username)
        at.query_params["task"] = value
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, value)
        assert [e.value for e in at.error] == ["链接中的任务编号不正确。"], (page, value)


def test_a_task_that_does_not_exist_or_is_not_yours_is_said_so(demo_db):
    at = app_as(demo_db, "bangong")
    at.query_params["task"] = "999999"
    at.switch_page("pages/tasks.py").run()
    assert not at.exception and [e.value for e in at.error] == ["任务不存在。"]
    other = demo_db.conn.execute(
        "SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN jurisdictions j ON j.id = p.jurisdiction_id "
        "WHERE j.name = '包头市' LIMIT 1").fetchone()[0]
    liaison = app_as(demo_db, "zz-minzheng")
    liaison.query_params["task"] = str(other)
    liaison.switch_page("pages/tasks.py").run()
    assert not liaison.exception and len(liaison.error) == 1 and not liaison.title


@pytest.mark.parametrize("params,names", [
    ({"plan": "-1"}, "规划"), ({"plan": "abc", "light": "紫"}, "规划、灯色"), ({"due": "xyz"}, "期限"),
    ({"month": "2026-13"}, "月份"), ({"department": "999999"}, "责任部门"), ({"status": "完成了"}, "状态"),
])
def test_filters_a_link_cannot_apply_are_named_and_the_list_still_shows(demo_db, params, names):
    at = app_as(demo_db, "bangong")
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/tasks.py").run()
    assert not at.exception and not at.error
    assert [w.value for w in at.main.warning] == [f"链接中的筛选条件({names})无效或无权查看,已忽略。"]
    live = demo_db.conn.execute("SELECT count(*) FROM tasks WHERE removed=0").fetchone()[0]
    assert any(c.value.startswith(f"共 {live} 项任务") for c in at.caption)
    for key in params:
        assert key not in at.query_params  # the address no longer carries it


def test_an_overview_link_with_a_wrong_plan_says_so(demo_db):
    at = app_as(demo_db, "lingdao")
    at.query_params["plan"] = "-1"
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert [w.value for w in at.main.warning] == ["链接中的筛选条件(规划)无效或无权查看,已忽略。"]


def test_returning_a_report_asks_for_confirmation_first(demo_db):
    at = app_as(demo_db, "bangong", "pages/review.py")
    returns = [b for b in at.main.button if (b.key or "").startswith("return_")]
    assert returns and {b.label for b in returns} == {"确认退回"}
    first = returns[0].key.split("_")[1]
    assert any(f"将第 {first} 号报告退回" in m.value and "不能撤销" in m.value for m in at.markdown)


def test_disabling_an_account_asks_for_confirmation_first_and_enabling_does_not(demo_db):
    at = app_as(demo_db, "bangong", "pages/accounts.py")
    assert "bangong" not in at.selectbox(key="state_username").options  # one's own account is not offered
    at.selectbox(key="state_username").select("zz-weijian").run()
    assert at.button(key="state_submit").label == "确认停用"
    assert any("停用后 **zz-weijian** 将不能再登录" in m.value for m in at.markdown)
    at.button(key="state_submit").click().run()
    assert not at.exception and any("已停用账号 zz-weijian" in s.value for s in at.success)
    at.selectbox(key="state_username").select("zz-weijian").run()
    assert at.button(key="state_submit").label == "重新启用"


def test_building_the_meeting_pack_says_it_locks_the_period(demo_db):
    at = app_as(demo_db, "bangong", "pages/meetings.py")
    assert at.button(key="build_pack").label == "确认生成并锁定"
    assert any("生成后将锁定" in m.value and "不能撤销" in m.value for m in at.markdown)
