"""The registry of event contracts: which schema a producer's event type carries."""

from __future__ import annotations

import unicodedata

import pytest

from shared import events
from shared.events import plans


class TestLookup:
    def test_a_known_type(self):
        assert events.data_schema("plans-api", "unit.succeeded") is plans.UnitSucceeded
        assert events.snapshot_schema("plans-api", "official") is plans.OfficialSnapshot

    @pytest.mark.parametrize(
        ("source", "event_type"), [("plans-api", "unit.moved"), ("learning-api", "unit.created")]
    )
    def test_an_unknown_type_or_producer(self, source, event_type):
        with pytest.raises(events.UnknownEventType) as raised:
            events.data_schema(source, event_type)
        assert (raised.value.source, raised.value.event_type) == (source, event_type)

    def test_every_type_starts_with_its_aggregate(self):
        for producer in events.PRODUCERS.values():
            for event_type in producer.events:
                assert events.aggregate_of(event_type) in producer.snapshots, event_type


def test_text_is_read_in_nfc():
    legal = plans.LegalBasisData(
        document=unicodedata.normalize("NFD", "Nghị quyết 76"), title=None, issued_on=None
    )
    assert legal.document == "Nghị quyết 76"
