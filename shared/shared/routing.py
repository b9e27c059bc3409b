"""The router every service hangs its routes on: each route commits the request's session.

``ServiceRouter`` is an ``APIRouter`` whose route class is always :class:`TransactionalRoute`
(the one commit point, see :mod:`shared.db`); it takes no other, so no router can forget it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.db import TransactionalRoute


class ServiceRouter(APIRouter):
    def __init__(self, **kwargs: Any) -> None:
        if "route_class" in kwargs:
            raise TypeError("ServiceRouter's routes are always TransactionalRoute")
        super().__init__(route_class=TransactionalRoute, **kwargs)
