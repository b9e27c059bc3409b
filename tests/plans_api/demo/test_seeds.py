"""The demo data says what the seed documents say: every task cell and target is quoted from its
document (line wraps and the extraction's markup aside)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from plans_api.demo.records import PlanRecord
from plans_api.demo.seeds import PLANS
from plans_api.demo.units import SUCCESSIONS, UNITS

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def _flat(text: str) -> str:
    text = re.sub(r"</?i>|\*\*", "", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def _seed(plan: PlanRecord) -> str:
    path = SEEDS / plan.source
    if not path.exists():
        pytest.skip(f"seed documents not found at {SEEDS}")
    return _flat(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.key)
class TestQuotedFromTheSeed:
    def test_task_cells(self, plan):
        seed = _seed(plan)
        for task in plan.tasks:
            for cell in (task.title, task.lead, task.coordinating, task.product, task.schedule):
                assert cell is None or _flat(cell) in seed, (task.number, cell)

    def test_targets(self, plan):
        seed = _seed(plan)
        for target in plan.targets:
            title = _flat(target.title)
            mid_sentence = title[0].lower() + title[1:]  # quoted after "…10 chỉ tiêu: đến cuối…"
            assert title in seed or mid_sentence in seed, target.code

    def test_legal_bases_are_cited(self, plan):
        seed = _seed(plan)
        for basis in plan.legal_bases:
            number = basis.document.removeprefix("Quyết định số ").split(" ")[-1]
            assert number in seed, basis.document

    def test_text_is_nfc(self, plan):
        for task in plan.tasks:
            assert unicodedata.is_normalized("NFC", task.title)
        assert unicodedata.is_normalized("NFC", plan.title)


class TestDataConsistency:
    def test_task_numbers_are_unique_and_parents_come_first(self):
        for plan in PLANS:
            seen: set[str] = set()
            for task in plan.tasks:
                parent = task.number.rpartition(".")[0]
                assert task.number not in seen and (not parent or parent in seen), task.number
                seen.add(task.number)

    def test_unit_references(self):
        keys = [u.key for u in UNITS]
        assert len(keys) == len(set(keys))
        for position, unit in enumerate(UNITS):
            assert unit.parent is None or unit.parent in keys[:position], unit.key
        for succession in SUCCESSIONS:
            assert {succession.predecessor, succession.successor} <= set(keys)

    def test_milestones_in_order_and_within_the_plan(self):
        for plan in PLANS:
            for target in plan.targets:
                dates = [m.due_on for m in target.milestones]
                assert dates == sorted(dates) and len(set(dates)) == len(dates)
                assert all(plan.start_year <= d.year <= plan.end_year for d in dates)
                if target.measure == "percent":
                    assert all(0 < m.value <= 100 for m in target.milestones)
