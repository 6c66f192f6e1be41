"""Chat robots: 企业微信 and 钉钉 group-robot formats and a generic JSON POST, against a real HTTP server on loopback."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import urllib.parse

import pytest

from db.queries import reminders as rq
from duban.access import Actor
from duban.errors import AccessDenied, InputError
from duban.jobs import channels, jobs, outbox
from duban.jobs.outbox import utcnow
from duban.services import channel_settings
from duban.services import reminder_settings as settings
from tests.remind_world import HookSink, add_task, make_world

MON = dt.date(2026, 11, 23)


@pytest.fixture
def hooks():
    sink = HookSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.delenv("DUBAN_SMTP_HOST", raising=False)
    return make_world(db)


def office(world) -> Actor:
    return Actor(user_id=world.office, username="bangong", role="office")


def test_a_units_wecom_robot_gets_its_digest_as_markdown_once(db, world, hooks):
    settings.add_webhook(db, office(world), "民政局工作群", "wecom", hooks.url + "/cgi-bin/webhook/send?key=SECRETKEY",
                         department_id=world.a)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead"), (world.b, "co")], "2026-11-30")

    jobs.remind(db, MON)
    jobs.remind(db, MON)

    assert len(hooks.posts) == 1
    post = hooks.posts[0]
    assert post["path"] == "/cgi-bin/webhook/send?key=SECRETKEY"
    assert post["content_type"].startswith("application/json")
    assert post["json"]["msgtype"] == "markdown"
    content = post["json"]["markdown"]["content"]
    assert "建设社区嵌入式养老服务设施" in content and "还有 7 天到期" in content
    assert len(content.encode("utf-8")) <= 4096


def test_dingtalk_robot_gets_markdown_with_a_valid_signature(db, world, hooks):
    secret = "SECabc123"
    settings.add_webhook(db, office(world), "督办群", "dingtalk", hooks.url + "/robot/send?access_token=TOKEN",
                         secret=secret, department_id=world.a)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")

    jobs.remind(db, MON)

    post = hooks.posts[0]
    body = post["json"]
    assert body["msgtype"] == "markdown" and "督办提醒" in body["markdown"]["title"]
    assert "建设社区嵌入式养老服务设施" in body["markdown"]["text"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(post["path"]).query)
    assert query["access_token"] == ["TOKEN"]
    ts = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest())
    assert query["sign"][0] == expected.decode()


def test_an_all_units_robot_gets_every_units_items_grouped_by_unit(db, world, hooks):
    settings.add_webhook(db, office(world), "数据平台", "json", hooks.url + "/duban")
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")
    add_task(db, world, "late", "建立基本养老服务清单", [(world.c, "lead")], "2026-11-20", plan=world.plan2)

    jobs.remind(db, MON)

    assert len(hooks.posts) == 1
    body = hooks.posts[0]["json"]
    assert body["source"] == "duban" and "2 个单位" in body["subject"]
    assert body["text"].index("【包头市 市民政局】") < body["text"].index("【郑州市 市民政局】")  # overdue first
    assert {(i["department"], i["title"]) for i in body["items"]} == {
        ("市民政局", "建设社区嵌入式养老服务设施"), ("市民政局", "建立基本养老服务清单")}
    assert body["day"] == "2026-11-23"


def test_a_robot_that_refuses_keeps_the_message_in_the_outbox_with_its_reason(db, world, hooks):
    settings.add_webhook(db, office(world), "民政局工作群", "wecom", hooks.url + "/send?key=K", department_id=world.a)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")
    hooks.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}

    result = jobs.remind(db, MON)

    assert result.failed == 1
    failed = outbox.list_outbox(db, office(world), "failed")
    assert "errcode 93000" in failed[0]["last_error"] and "key=K" not in failed[0]["last_error"]
    hooks.reply = {"errcode": 0, "errmsg": "ok"}
    assert jobs.flush_outbox(db, MON, now=utcnow() + dt.timedelta(minutes=5)).sent == 1
    assert len(hooks.posts) == 2


def test_http_errors_and_unreachable_robots_are_failures(hooks):
    hooks.status = 500
    with pytest.raises(channel_settings.SendError, match="HTTP 500"):
        channels.send_webhook({"kind": "json", "url": hooks.url + "/x"}, "主题", "正文")
    with pytest.raises(channel_settings.SendError, match="无法连接"):
        channels.send_webhook({"kind": "json", "url": "http://127.0.0.1:9/x"}, "主题", "正文")


def test_long_wecom_messages_are_cut_to_the_robots_limit():
    body = "\n".join(f"{n}. 【已逾期 3 天】一项很长的任务名称用于测试长度限制" * 2 for n in range(400))
    payload = channels.wecom_payload("主题", body)
    content = payload["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096 and content.endswith("请登录督办系统查看全部)")


def test_robot_secrets_are_never_shown_back_and_only_the_office_manages_robots(db, world, hooks):
    settings.add_webhook(db, office(world), "工作群", "dingtalk", hooks.url + "/robot/send?access_token=TOPSECRET",
                         secret="SECxyz")
    listed = settings.list_webhooks(db, office(world))
    assert "TOPSECRET" not in str(listed) and "SECxyz" not in str(listed)
    assert listed[0]["has_secret"] is True and listed[0]["department"] == "全部单位"
    liaison = Actor(user_id=world.user_a, username="zz-a", role="liaison", department_ids=frozenset({world.a}))
    with pytest.raises(AccessDenied):
        settings.list_webhooks(db, liaison)
    with pytest.raises(AccessDenied):
        settings.add_webhook(db, liaison, "x", "json", hooks.url)
    with pytest.raises(InputError):
        settings.add_webhook(db, office(world), "x", "json", "ftp://example")
    assert channels.send_test_webhook(db, office(world), listed[0]["id"], MON).startswith("测试消息已发送")
    assert "测试消息" in hooks.posts[-1]["json"]["markdown"]["title"]


@pytest.mark.parametrize("url, says", [
    ("https://oapi.dingtalk.com/robot/send?access_token=ab12 cd34", "空格"),
    ("https://oapi.dingtalk.com/robot/send?access_token=ab12\ncd34", "空格"),
    ("https://oapi.dingtalk.com/robot/send?access_token=密钥ab12", "中文"),
    ("oapi.dingtalk.com/robot/send?access_token=ab12cd34", "http://"),
    ("https:///robot/send?access_token=ab12cd34", "服务器名"),
    ("https://oapi.dingtalk.com:99999/robot/send?access_token=ab12cd34", "端口"),
])
def test_a_malformed_robot_address_is_refused_with_a_reason(db, world, url, says):
    with pytest.raises(InputError, match=says) as refused:
        settings.add_webhook(db, office(world), "工作群", "dingtalk", url)
    assert "ab12" not in str(refused.value)
    assert settings.list_webhooks(db, office(world)) == []


def test_a_stored_address_the_http_library_rejects_fails_without_naming_its_token(db, world, hooks, caplog):
    caplog.set_level(logging.DEBUG)
    # an address stored before addresses were checked, with a space inside its token
    hook = rq.insert_webhook(db, "旧机器人", "dingtalk", hooks.url + "/robot/send?access_token=tok3n 7731x",
                      "SECold9981", world.a)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")

    result = jobs.remind(db, MON)

    assert result.failed == 1 and hooks.posts == []
    failed = outbox.list_outbox(db, office(world), "failed")
    stored = db.conn.execute("SELECT last_error FROM outbox WHERE status='failed'").fetchone()[0]
    for text in (failed[0]["last_error"], stored, "\n".join(result.errors), caplog.text):
        assert "机器人地址无效" in text
        for secret in ("tok3n", "7731x", "SECold9981"):
            assert secret not in text
    with pytest.raises(InputError, match="发送失败") as tested:
        channels.send_test_webhook(db, office(world), hook, MON)
    assert "tok3n" not in str(tested.value) and "7731x" not in str(tested.value)


def test_the_send_log_masks_keys_in_errors_recorded_by_older_versions(db, world):
    rq.insert_outbox(db, {"kind": "digest", "channel": "webhook", "recipient": "webhook:1", "day": "2026-11-23",
                          "subject": "督办提醒", "body": "正文", "status": "failed",
                          "last_error": "发送出错:InvalidURL: URL can't contain control characters. "
                                        "'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234' (found ' ')"})
    shown = outbox.list_outbox(db, office(world))[0]["last_error"]
    assert "abcd-1234" not in shown and "qyapi.weixin.qq.com" in shown


def test_error_text_is_scrubbed_of_the_robots_address_and_key():
    hook = {"url": "https://oapi.dingtalk.com/robot/send?access_token=tok en99", "secret": "SECmine55"}
    text = "InvalidURL: '/robot/send?access_token=tok en99&timestamp=1&sign=xyz' key SECmine55"
    clean = channels.scrub(text, hook)
    assert "tok" not in clean and "en99" not in clean and "SECmine55" not in clean and "xyz" not in clean
