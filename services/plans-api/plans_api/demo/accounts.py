"""Demo mode and its accounts.

Demo mode is off unless the settings say so (``PLANS_DEMO__ENABLED=true`` once ``PlansSettings``
has a ``demo: DemoSettings`` field). With it on, the loader also creates three accounts that show
the platform from each side, all with the demo password:

- ``sonoivu.cantho``: reform_admin at the Sở Nội vụ of Cần Thơ (manages every plan);
- ``sotuphap.cantho``: unit_officer at the Sở Tư pháp of Cần Thơ (reports on its tasks);
- ``xem.cantho``: viewer (reads everything).
"""

from __future__ import annotations

from dataclasses import dataclass

from plans_api.config import DemoSettings


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    roles: tuple[str, ...]
    unit: str  # unit key


DEMO_ACCOUNTS = (
    DemoAccount("sonoivu.cantho", "Cán bộ Sở Nội vụ Cần Thơ (demo)", ("reform_admin",), "ct.snv"),
    DemoAccount("sotuphap.cantho", "Cán bộ Sở Tư pháp Cần Thơ (demo)", ("unit_officer",), "ct.stp"),
    DemoAccount("xem.cantho", "Người xem (demo)", ("viewer",), "ct"),
)


def demo_settings(settings: object) -> DemoSettings:
    """The ``demo`` group of the service settings; demo mode off when there is none."""
    found = getattr(settings, "demo", None)
    return found if isinstance(found, DemoSettings) else DemoSettings()
