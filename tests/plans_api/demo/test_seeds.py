"""The demo data says what the seed documents say: every task cell, target and legal basis
agrees with the documents' facts in ``seed_facts.toml`` (line wraps and markup aside)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from plans_api.demo.records import PlanRecord
from plans_api.demo.seeds import PLANS
from plans_api.demo.units import SUCCESSIONS, UNITS

FACTS = {
    plan["key"]: plan
    for plan in tomllib.loads(Path(__file__).with_name("seed_facts.toml").read_text())["plan"]
}
CELLS = ("title", "lead", "coordinating", "product", "schedule")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?\s?%|\b(?:19|20)\d\d\b")


def _flat(text: str) -> str:
    text = re.sub(r"</?i>|\*\*", "", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def _numbers(text: str) -> list[str]:
    return sorted({n.replace(" ", "") for n in NUMBER.findall(text)})


def test_every_demo_plan_has_its_documents_facts():
    assert [p.key for p in PLANS] == list(FACTS)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.key)
class TestAsTheDocumentSays:
    def test_task_cells(self, plan: PlanRecord):
        facts: list[dict[str, Any]] = FACTS[plan.key].get("task", [])
        assert [t.number for t in plan.tasks] == [f["number"] for f in facts]
        for task, fact in zip(plan.tasks, facts, strict=True):
            for name in CELLS:
                cell = getattr(task, name)
                said = fact.get(name)
                if cell is None or said is None:
                    assert cell is said, (task.number, name)
                else:
                    assert _flat(cell).startswith(said), (task.number, name, cell)

    def test_targets(self, plan: PlanRecord):
        facts = FACTS[plan.key]["target"]
        assert [t.code for t in plan.targets] == [f["code"] for f in facts]
        for target, fact in zip(plan.targets, facts, strict=True):
            title = _flat(target.title)
            assert title.lower().startswith(fact["opening"].lower()), target.code
            assert _numbers(title) == fact["numbers"], target.code

    def test_legal_bases_are_cited(self, plan: PlanRecord):
        numbers = [
            b.document.removeprefix("Quyết định số ").split(" ")[-1] for b in plan.legal_bases
        ]
        assert numbers == FACTS[plan.key]["cites"]

    def test_text_is_nfc(self, plan: PlanRecord):
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
