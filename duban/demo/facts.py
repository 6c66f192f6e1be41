"""The facts the demo is built from, read from seed/demo.json and seed/demo_accounts.json."""
from __future__ import annotations

import functools
import json

from duban.services.seeding import SEED_DIR

FACTS_FILE = SEED_DIR / "demo.json"
ACCOUNTS_FILE = SEED_DIR / "demo_accounts.json"


@functools.cache
def facts() -> dict:
    """Places, people, the office, extra tasks, how tasks fare, cycles and meetings of the demo."""
    return json.loads(FACTS_FILE.read_text(encoding="utf-8"))


def demo_accounts() -> dict:
    """The demo accounts file: password and accounts."""
    return json.loads(ACCOUNTS_FILE.read_text(encoding="utf-8"))
