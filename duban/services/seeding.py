"""First start: the five seed plans, and with the demo a living history so a newcomer sees a working dashboard.

Everything the demo writes is derived from a seeded random generator and `today`, so the same date gives
the same database (tests rely on it).
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import warnings
from pathlib import Path

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import demo as q
from db.queries import departments as dept_q
from db.queries import plans as plan_q
from db.queries import users as user_q
from duban import clock
from duban.access import SYSTEM
from duban.errors import InputError
from duban.rules import status as rules
from duban.rules.names import written_name
from duban.services import departments as dept_s
from duban.services import plans as plan_s
from duban.services import tasks as task_s
from duban.services import users as user_s

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "seed"
ACCOUNTS_FILE = SEED_DIR / "demo_accounts.json"
DEMO_HOOKS = ["duban.services.cycles", "duban.services.indicators", "duban.services.meetings", "duban.services.reminder_rules"]

CITY_SLUGS = {"郑州市": "zhengzhou", "包头市": "baotou", "随州市": "suizhou", "钦州市": "qinzhou", "巫溪县": "wuxi"}
AREA_CODES = {"郑州市": "0371", "包头市": "0472", "随州市": "0722", "钦州市": "0777", "巫溪县": "023"}
# keyword in a department's name -> the mailbox name its demo liaison uses
DEPT_SLUGS = [
    ("民政", "minzheng"), ("卫健", "weijian"), ("卫生健康", "weijian"), ("发展改革", "fagai"), ("发改", "fagai"),
    ("财政", "caizheng"), ("教育", "jiaoyu"), ("教委", "jiaoyu"), ("人社", "renshe"), ("人力社保", "renshe"),
    ("人力资源", "renshe"), ("住房保障", "zhufang"), ("住建", "zhujian"), ("住房城乡", "zhujian"), ("城建", "chengjian"),
    ("自然资源", "ziran"), ("资源规划", "ziran"), ("市场监管", "shichang"), ("医保", "yibao"), ("商务", "shangwu"),
    ("妇联", "fulian"), ("残联", "canlian"), ("文化", "wenlv"), ("文旅", "wenlv"), ("税务", "shuiwu"),
    ("经信", "jingxin"), ("工信", "gongxin"), ("经济信息", "jingxin"), ("金融", "jinrong"), ("老干", "laogan"),
    ("宣传", "xuanchuan"), ("公安", "gongan"), ("司法", "sifa"), ("行政审批", "shenpi"), ("大数据", "dashuju"),
    ("国资", "guozi"), ("消防", "xiaofang"), ("应急", "yingji"), ("机关事务", "jiguan"), ("事管", "jiguan"),
    ("就业", "jiuye"), ("城市管理", "chengguan"), ("总工会", "zonggonghui"), ("团", "tuanwei"), ("科技", "keji"),
    ("委办公室", "weiban"), ("政府办公室", "zhengfuban"), ("人民银行", "renhang"), ("退役军人", "tuijun"),
    ("招商", "zhaoshang"), ("体育", "tiyu"), ("工商联", "gongshanglian"), ("农委", "nongwei"), ("编办", "bianban"),
    ("社治", "shezhi"), ("政务", "zhengwu"), ("高新", "gaoxin"), ("编", "bianban"),
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌辉宇浩凯欣怡晨琳雪梅建国志国海燕文博晓东丹慧颖"
RETURN_REASONS = ["佐证材料不全,请补充相关文件或照片。", "进展描述过于笼统,请写明完成的具体数量。",
                  "填报的完成时间与实际不符,请核实后重报。", "请补充配合单位的工作情况。"]
COORDINATION = [("项目用地指标尚未落实,需协调解决。", "自然资源"), ("运营补贴资金未到位,需协调拨付。", "财政"),
                ("医养结合机构审批流程卡在卫生许可环节。", "卫"), ("托育机构消防验收标准不明确,需会商。", "消防"),
                ("人员编制不足,需协调调剂。", "编")]


def seed_files() -> list[Path]:
    """The plan documents imported on first start."""
    return sorted(SEED_DIR.glob("*.txt"))


def extract_seed(path: Path) -> dict:
    """The extraction of one seed document."""
    from duban.extract import extract_file

    return extract_file(path)


def init(db: sqlite_utils.Database, demo: bool = True, today: dt.date | str | None = None) -> dict:
    """Import the seed plans; with demo, also liaisons, demo accounts, history up to today and each owner's demo.

    All in one transaction: a failure leaves the database as it was. Running it again changes nothing.
    """
    today = clock.today(today)
    with transaction(db):
        if _meta(db, "initialised") == "1":
            return {"already": True, "plans": [p["id"] for p in plan_s.list_plans(db, SYSTEM)], "demo": _meta(db, "demo") == "1"}
        plan_ids = [plan_s.import_plan(db, SYSTEM, extract_seed(p), p.name, p.read_bytes(), today, is_demo=demo)
                    for p in seed_files()]
        if demo:
            _demo(db, today)
            q.set_meta(db, "demo", "1")
        q.set_meta(db, "initialised", "1")
        failed = _run_hooks(db, today) if demo else []
        audit.record(db, SYSTEM, "初始化", "meta", None,
                     {"demo": demo, "plans": plan_ids, "today": today, "failed_demo_parts": failed})
    return {"already": False, "plans": plan_ids, "demo": demo, "failed": failed}


def _run_hooks(db: sqlite_utils.Database, today: dt.date) -> list[str]:
    """Each owner's seed_demo in order, each under a savepoint: a failing part is left out and named, so the
    app still starts with the rest of the demo."""
    failed = []
    for name in DEMO_HOOKS:
        hook = _hook(name)
        if hook is None:
            continue
        db.conn.execute("SAVEPOINT demo_part")
        try:
            hook(db, today)
        except Exception as e:  # noqa: BLE001 - one part's failure must not stop the first start
            db.conn.execute("ROLLBACK TO demo_part")
            failed.append(f"{name}: {type(e).__name__}: {e}")
            warnings.warn(f"演示数据 {name} 载入失败:{e}", RuntimeWarning, stacklevel=2)
        db.conn.execute("RELEASE demo_part")
    return failed


def _hook(name: str):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name and name.startswith(e.name):
            return None
        raise
    return getattr(module, "seed_demo", None)


def _meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.conn.execute("SELECT value FROM meta WHERE key=?", [key]).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------- demo content


def _demo(db: sqlite_utils.Database, today: dt.date) -> None:
    rng = random.Random(20260101)
    _liaisons(db, rng)
    users = _accounts(db)
    _extra_tasks(db, today)
    _history(db, rng, today, users)
    q.backdate_overdue(db, today.isoformat())


def _slug(name: str) -> str | None:
    return next((slug for key, slug in DEPT_SLUGS if key in name), None)


def _is_group(name: str) -> bool:
    return name.startswith("各") or "有关部门" in name or name.endswith("有关单位")


def _liaisons(db: sqlite_utils.Database, rng: random.Random) -> None:
    """Every department of a seed jurisdiction gets a demo liaison with a phone and an example.gov.cn mailbox."""
    for j in plan_q.jurisdictions(db):
        city = CITY_SLUGS.get(j["name"], f"city{j['id']}")
        area = AREA_CODES.get(j["name"], "010")
        used: set[str] = set()
        for d in dept_q.list_all(db, j["id"]):
            if _is_group(d["name"]):
                continue
            slug = _slug(d["name"]) or f"bm{d['id']}"
            base, n = slug, 2
            while slug in used:
                slug, n = f"{base}{n}", n + 1
            used.add(slug)
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            phone = f"{area}-{rng.randint(60000000, 69999999)}"
            dept_q.set_liaison(db, d["id"], name, phone, f"{slug}@{city}.example.gov.cn")


def _find_department(db: sqlite_utils.Database, jurisdiction: str, candidates: list[str]) -> int:
    jid = plan_q.jurisdiction_by_name(db, jurisdiction)
    if jid is None:
        raise InputError(f"演示账号所属地区不存在:{jurisdiction}")
    for name in candidates:
        found = dept_s.resolve(db, jid, name)
        if found:
            return found
    return dept_s.ensure_department(db, jid, candidates[0])


def demo_accounts() -> dict:
    """The demo accounts file: password and accounts."""
    return json.loads(ACCOUNTS_FILE.read_text(encoding="utf-8"))


def _accounts(db: sqlite_utils.Database) -> dict[str, int]:
    """Create the demo accounts (skipping usernames already taken); username -> user id."""
    spec = demo_accounts()
    out = {}
    for acc in spec["accounts"]:
        existing = user_q.by_username(db, acc["username"])
        if existing:
            out[acc["username"]] = existing["id"]
            continue
        deps = [_find_department(db, acc["jurisdiction"], c) for c in acc.get("departments", [])]
        display, email = acc.get("display_name"), None
        if deps:
            dept = dept_q.get(db, deps[0])
            display = display or f"{written_name(acc['jurisdiction'], dept['name'])} {dept['liaison_name'] or ''}".strip()
            email = dept["liaison_email"]
        out[acc["username"]] = user_s.create_user(db, SYSTEM, acc["username"], spec["password"], acc["role"],
                                                  deps or None, display, email, is_demo=True)
    return out


def _extra_tasks(db: sqlite_utils.Database, today: dt.date) -> None:
    """A few tasks from outside the plans — a leader's instruction, an assignment from above — due soon."""
    def dept(jurisdiction: str, *names: str) -> int:
        return _find_department(db, jurisdiction, list(names))

    specs = [
        ("郑州市", "落实市领导关于冬季养老机构安全检查的批示", "领导批示", "市领导批示〔冬季安全〕",
         [(dept("郑州市", "市民政局"), "lead"), (dept("郑州市", "市市场监管局"), "co")], 9),
        ("郑州市", "报送年度“一老一小”重点项目清单", "上级交办", "省发展改革委交办",
         [(dept("郑州市", "市发展改革委", "市发改委"), "lead"), (dept("郑州市", "市民政局"), "co"),
          (dept("郑州市", "市卫健委"), "co")], 25),
        ("包头市", "开展老年助餐服务点运营情况专项督查", "领导批示", "分管副市长批示",
         [(dept("包头市", "市民政局"), "lead")], -6),
        ("随州市", "完成普惠托育服务专项行动中期评估材料", "上级交办", "省卫生健康委交办",
         [(dept("随州市", "市卫健委", "市卫生健康委"), "lead"), (dept("随州市", "市民政局"), "co")], 60),
    ]
    for _j, title, source, note, units, days in specs:
        due = today + dt.timedelta(days=days)
        task_s.add_task(db, SYSTEM, title, units, [{"kind": "once", "due": due, "phrase": f"{due.month}月{due.day}日前"}],
                        source, source_note=note, today=today - dt.timedelta(days=40))


def _at(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def _progress_text(title: str, percent: int, rng: random.Random) -> str:
    short = title[:24] + ("…" if len(title) > 24 else "")
    return rng.choice([
        f"围绕“{short}”,已召开专题推进会,明确分工和时间节点,完成约{percent}%。",
        f"“{short}”按计划推进:已完成摸底调查和方案制定,正在组织实施,完成约{percent}%。",
        f"本期“{short}”工作已落实资金和场地,相关制度文件已印发,完成约{percent}%。",
        f"联合配合单位开展督导检查,“{short}”各项任务有序推进,完成约{percent}%。",
    ])


SCENARIOS = [("closed", 30), ("on_track", 25), ("pending", 10), ("returned", 12), ("coordination", 8), ("silent", 15)]


def _history(db: sqlite_utils.Database, rng: random.Random, today: dt.date, users: dict[str, int]) -> None:
    """Simulated reports, reviews, status changes and instance states up to today."""
    office = users.get("bangong")
    for task in q.tasks_with_instances(db):
        if not task["lead_id"] or not task["instances"] or task["plan_id"] is None:
            continue
        scenario = rng.choices([s for s, _ in SCENARIOS], weights=[w for _, w in SCENARIOS])[0]
        past = [i for i in task["instances"] if dt.date.fromisoformat(i["due"]) < today]
        future = [i for i in task["instances"] if dt.date.fromisoformat(i["due"]) >= today]
        if scenario == "closed" and future:
            scenario = "on_track"
        elif scenario == "on_track" and not future:
            scenario = "closed"  # every instance accepted as done: the task was closed (销号)
        _simulate(db, rng, today, task, scenario, past, future, office)


def _simulate(db: sqlite_utils.Database, rng: random.Random, today: dt.date, task: dict, scenario: str,
              past: list[dict], future: list[dict], office: int | None) -> None:
    lead = task["lead_id"]
    user = q.user_for_department(db, lead)
    start = dt.date.fromisoformat(task["published"] or task["period_start"] or task["created_at"][:10])
    start = min(start + dt.timedelta(days=rng.randint(10, 60)), today - dt.timedelta(days=1))
    status, progress = rules.NOT_STARTED, 0
    if scenario == "silent" and rng.random() < 0.5:
        return  # never started: every past instance stays open
    q.insert_history(db, task["id"], status, rules.IN_PROGRESS, user, "开始推进", _at(start, rng))
    status = rules.IN_PROGRESS
    last = start

    def report(inst: dict | None, day: dt.date, percent: int, claimed: str, state: str, note: str | None = None,
               need: tuple[str, str] | None = None) -> None:
        nonlocal last
        day = max(min(day, today - dt.timedelta(days=1)), last)
        reviewed = None if state == "待审核" else min(day + dt.timedelta(days=rng.randint(1, 6)), today)
        coordination_from = None
        if need:
            coordination_from = _coordination_unit(db, task, need[1])
        q.insert_report(db, {
            "task_id": task["id"], "instance_id": inst["id"] if inst else None, "department_id": lead,
            "user_id": user, "progress_text": _progress_text(task["title"], percent, rng), "percent": percent,
            "claimed_status": claimed, "coordination_need": need[0] if need else None,
            "coordination_from": coordination_from, "review_state": state,
            "reviewed_by": office if reviewed else None, "reviewed_at": _at(reviewed, rng) if reviewed else None,
            "review_note": note, "period": inst["label"] if inst else None, "created_at": _at(day, rng)})
        last = day

    # instances already past: most were reported and accepted in time; the rest stay open (overdue)
    done_share = {"closed": 1.0, "on_track": 1.0, "pending": 0.9, "returned": 0.6, "coordination": 0.6,
                  "silent": 0.3}[scenario]
    n_done = int(len(past) * done_share)
    if scenario == "pending" and not future:
        n_done = min(n_done, len(past) - 1)  # the last one is the completion awaiting review
    open_past = []
    for k, inst in enumerate(past):
        due = dt.date.fromisoformat(inst["due"])
        if k < n_done:
            percent = min(100, round(100 * (k + 1) / max(1, len(past) + len(future))))
            day = due - dt.timedelta(days=rng.randint(2, 25))
            report(inst, day, percent, "已完成", "已采纳", "材料齐全,予以采纳。")
            q.set_instance(db, inst["id"], "closed", _at(max(day, last), rng)[:10], None)
            progress = percent
        else:
            q.set_instance(db, inst["id"], "open", None, (due + dt.timedelta(days=1)).isoformat())
            open_past.append(inst)
    target = open_past[0] if open_past else (future[0] if future else None)
    recent = today - dt.timedelta(days=rng.randint(3, 30))
    if scenario == "closed":
        progress = 100
        q.insert_history(db, task["id"], status, rules.DONE_PENDING, user, "牵头单位报告已完成", _at(last, rng))
        close_day = min(last + dt.timedelta(days=rng.randint(3, 20)), today)
        q.insert_history(db, task["id"], rules.DONE_PENDING, rules.CLOSED, office, "审核通过,予以销号",
                         _at(close_day, rng))
        status = rules.CLOSED
    elif scenario == "on_track":
        if future:
            progress = max(progress, rng.randint(45, 90))
            report(future[0], recent, progress, rules.IN_PROGRESS, "已采纳", "进展属实。")
        else:
            progress = 100
    elif scenario == "pending":
        progress = 100
        report(target, recent, 100, "已完成", "待审核")
        if target:
            q.set_instance(db, target["id"], "claimed", None,
                           None if dt.date.fromisoformat(target["due"]) >= today
                           else (dt.date.fromisoformat(target["due"]) + dt.timedelta(days=1)).isoformat())
        q.insert_history(db, task["id"], status, rules.DONE_PENDING, user, "牵头单位报告已完成", _at(last, rng))
        status = rules.DONE_PENDING
    elif scenario == "returned":
        progress = rng.randint(20, 60)
        report(target, recent, progress, "已完成", "已退回", rng.choice(RETURN_REASONS))
    elif scenario == "coordination":
        progress = rng.randint(30, 60)
        need = rng.choice(COORDINATION)
        report(target, recent, progress, rules.NEEDS_COORDINATION, rng.choice(["待审核", "已采纳"]), None, need)
        q.insert_history(db, task["id"], status, rules.NEEDS_COORDINATION, user, need[0], _at(last, rng))
        status = rules.NEEDS_COORDINATION
    else:  # silent: started once, then nothing reported lately
        progress = rng.randint(5, 20)
        report(target, start + dt.timedelta(days=rng.randint(5, 40)), progress, rules.IN_PROGRESS, "已采纳", None)
    q.set_task_state(db, task["id"], status, progress, _at(min(last, today), rng))


def _coordination_unit(db: sqlite_utils.Database, task: dict, keyword: str) -> str:
    """The department of the task's jurisdiction asked for help (by keyword), else its first co unit."""
    jid = task["jurisdiction_id"]
    deps = dept_q.list_all(db, jid) if jid else []
    named = next((d["name"] for d in deps if keyword in d["name"] and d["id"] != task["lead_id"]), None)
    if named:
        return named
    co = q.co_departments(db, task["id"])
    if co:
        return dept_q.get(db, co[0])["name"]
    return "市政府办公室"
