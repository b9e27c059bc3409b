"""The 1 July 2025 reorganisation around Cần Thơ and Ho Chi Minh City, built through the API.

Province codes (92 Cần Thơ, 93 Hậu Giang, 94 Sóc Trăng, 79 Ho Chi Minh City), district codes (926
Huyện Phong Điền, 760 Quận 1) and the reused commune code 26740 (Phường Bến Nghé until 30/6/2025,
Phường Sài Gòn from 1/7/2025) are the official ones; the codes of departments and of the new
Xã Phong Điền are made up for the test.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import httpx

UNITS = "/api/plans/v1/units"
LAST_OLD_DAY = date(2025, 6, 30)
FIRST_NEW_DAY = date(2025, 7, 1)

_OLD = {"valid_to": LAST_OLD_DAY.isoformat()}
_NEW = {"valid_from": FIRST_NEW_DAY.isoformat()}

# key, parent key, body
_UNITS: list[tuple[str, str | None, dict[str, Any]]] = [
    ("can_tho", None, {"code": "92", "name": "Thành phố Cần Thơ", "level": "province"}),
    ("snv_can_tho", "can_tho", {"code": "92-SNV", "name": "Sở Nội vụ", "level": "department"}),
    (
        "phong_dien_district",
        "can_tho",
        {"code": "926", "name": "Huyện Phong Điền", "level": "district", **_OLD},
    ),
    (
        "phong_dien_commune",
        "can_tho",
        {"code": "31999", "name": "Xã Phong Điền", "level": "commune", **_NEW},
    ),
    ("soc_trang", None, {"code": "94", "name": "Tỉnh Sóc Trăng", "level": "province", **_OLD}),
    (
        "snv_soc_trang",
        "soc_trang",
        {"code": "94-SNV", "name": "Sở Nội vụ", "level": "department", **_OLD},
    ),
    ("hau_giang", None, {"code": "93", "name": "Tỉnh Hậu Giang", "level": "province", **_OLD}),
    ("hcm", None, {"code": "79", "name": "Thành phố Hồ Chí Minh", "level": "province"}),
    ("quan_1", "hcm", {"code": "760", "name": "Quận 1", "level": "district", **_OLD}),
    (
        "ben_nghe",
        "quan_1",
        {"code": "26740", "name": "Phường Bến Nghé", "level": "commune", **_OLD},
    ),
    ("sai_gon", "hcm", {"code": "26740", "name": "Phường Sài Gòn", "level": "commune", **_NEW}),
]

# predecessor, successor: all merges effective 1 July 2025 (Quận 1 is abolished without one)
_MERGES = [
    ("soc_trang", "can_tho"),
    ("hau_giang", "can_tho"),
    ("snv_soc_trang", "snv_can_tho"),
    ("phong_dien_district", "phong_dien_commune"),
    ("ben_nghe", "sai_gon"),
]


async def build(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, UUID]:
    """Create the units and record the mergers; returns ``key → unit id``."""
    ids: dict[str, UUID] = {}
    for key, parent, body in _UNITS:
        if parent is not None:
            body = {**body, "parent_id": str(ids[parent])}
        response = await client.post(UNITS, headers=headers, json=body)
        assert response.status_code == 201, response.text
        ids[key] = UUID(response.json()["id"])
    for old, new in _MERGES:
        response = await client.post(
            f"{UNITS}/{ids[old]}/succession",
            headers=headers,
            json={
                "successor_ids": [str(ids[new])],
                "effective_on": FIRST_NEW_DAY.isoformat(),
                "kind": "merge",
            },
        )
        assert response.status_code == 201, response.text
    return ids
