"""Typed contracts of the events that cross a service boundary.

Each event type has one pydantic schema for its ``data``, in the module of the service that
produces it (``plans``). The producer builds the data from that schema (``add_event`` takes
nothing else) and the consumer validates what it receives against the same schema, so a
producer cannot write an event its consumer will refuse. An event type starts with its
aggregate type: ``unit.created`` is about a ``unit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.events import plans
from shared.events.base import EventData


@dataclass(frozen=True)
class Producer:
    """A producing service: the data schema of each of its event types, and of the snapshot of
    each of its aggregates (its ``GET /events/export`` records)."""

    source: str
    events: Mapping[str, type[EventData]]
    snapshots: Mapping[str, type[EventData]]


PRODUCERS: dict[str, Producer] = {
    producer.source: producer
    for producer in (Producer(plans.SOURCE, plans.EVENTS, plans.SNAPSHOTS),)
}


class UnknownEventType(LookupError):
    def __init__(self, source: str, event_type: str) -> None:
        super().__init__(f"{source} has no event type {event_type!r}")
        self.source = source
        self.event_type = event_type


def aggregate_of(event_type: str) -> str:
    """``unit.created`` → ``unit``."""
    return event_type.partition(".")[0]


def data_schema(source: str, event_type: str) -> type[EventData]:
    """The schema of the ``data`` of ``source``'s events of ``event_type``."""
    producer = PRODUCERS.get(source)
    schema = producer.events.get(event_type) if producer else None
    if schema is None:
        raise UnknownEventType(source, event_type)
    return schema


def snapshot_schema(source: str, aggregate_type: str) -> type[EventData]:
    """The schema of the ``data`` of ``source``'s ``<aggregate_type>.snapshot`` records."""
    producer = PRODUCERS.get(source)
    schema = producer.snapshots.get(aggregate_type) if producer else None
    if schema is None:
        raise UnknownEventType(source, f"{aggregate_type}.snapshot")
    return schema


__all__ = [
    "PRODUCERS",
    "EventData",
    "Producer",
    "UnknownEventType",
    "aggregate_of",
    "data_schema",
    "snapshot_schema",
]
