"""Golden files: short texts of every event type, plus the seed article, on the fixture lexicon.

Set UPDATE_GOLDEN=1 to rewrite the expected files after an intended change, then review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from app.extraction import Lexicon, extract
from tests.extraction.golden_view import summary

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = json.loads((GOLDEN / "cases.json").read_text(encoding="utf-8"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _check(name: str, got: dict) -> None:
    path = GOLDEN / f"{name}.expected.json"
    if UPDATE or not path.exists():
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_short_text(case: dict, small_lexicon: Lexicon) -> None:
    published = date.fromisoformat(case["published_at"]) if case["published_at"] else None
    result = extract(case["text"], small_lexicon, published_at=published)
    _check(case["name"], summary(result))


def test_seed_article(small_lexicon: Lexicon) -> None:
    text = (GOLDEN / "article-koksan-kursk.txt").read_text(encoding="utf-8")
    result = extract(text, small_lexicon, published_at=date(2024, 11, 16))
    _check("article-koksan-kursk", summary(result))
