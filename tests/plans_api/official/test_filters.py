from __future__ import annotations

from datetime import date

import pytest

from shared.text import fold_words
from tests.factories import bearer, make_official, make_unit, token_for

OFFICIALS = "/api/plans/v1/officials"


@pytest.fixture
async def people(plans_app, plans_client):
    province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province")
    home = await make_unit(plans_app, name="Sở Nội vụ", parent=province)
    office = await make_unit(plans_app, name="Phòng CCHC", level="other", parent=home)
    justice = await make_unit(plans_app, name="Sở Tư pháp", parent=province)
    make = make_official
    await make(plans_app, unit=home, full_name="Nguyễn Văn An", cchc_role="dedicated")
    await make(plans_app, unit=office, full_name="Trần Thị Bình", cchc_role="concurrent")
    await make(plans_app, unit=justice, full_name="Lê Văn Cường", is_leader=True)
    await make(plans_app, unit=justice, full_name="Phạm Thị Dung", one_stop_shop=True)
    await make(plans_app, unit=home, full_name="Hoàng Văn Em", expert_pool=True)
    await make(plans_app, unit=office, full_name="Đặng Thị Giang", leadership_source=True)
    await make(
        plans_app,
        unit=home,
        full_name="Võ Văn Hải",
        valid_from=date(2026, 1, 1),  # joined later
    )
    return {"province": province, "home": home, "office": office, "justice": justice}


async def names(client, app, **params) -> list[str]:
    response = await client.get(
        OFFICIALS, headers=bearer(token_for(app, roles=["viewer"])), params=params
    )
    assert response.status_code == 200, response.text
    return [o["full_name"] for o in response.json()["items"]]


A, B, C, D, E, G, H = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Đặng Thị Giang",
    "Võ Văn Hải",
)


class TestFilters:
    async def test_unit_includes_its_subtree(self, plans_app, plans_client, people):
        found = await names(plans_client, plans_app, unit_id=str(people["home"].id))
        assert set(found) == {A, B, E, G, H}
        leaf = await names(plans_client, plans_app, unit_id=str(people["office"].id))
        assert set(leaf) == {B, G}

    async def test_cchc_role_is_repeatable(self, plans_app, plans_client, people):
        assert await names(plans_client, plans_app, cchc_role="dedicated") == [A]
        both = await names(plans_client, plans_app, cchc_role=["dedicated", "concurrent"])
        assert set(both) == {A, B}

    @pytest.mark.parametrize(
        ("flag", "expected"),
        [
            ("one_stop_shop", D),
            ("is_leader", C),
            ("expert_pool", E),
            ("leadership_source", G),
        ],
    )
    async def test_flags(self, plans_app, plans_client, people, flag, expected):
        assert await names(plans_client, plans_app, **{flag: "true"}) == [expected]
        others = await names(plans_client, plans_app, **{flag: "false"})
        assert expected not in others and len(others) == 6

    @pytest.mark.parametrize("q", ["nguyen van an", "NGUYỄN", "van an", "Văn An"])
    async def test_q_ignores_accents_and_case(self, plans_app, plans_client, people, q):
        assert await names(plans_client, plans_app, q=q) == [A]

    async def test_q_treats_wildcards_literally(self, plans_app, plans_client, people):
        assert await names(plans_client, plans_app, q="%") == []
        assert await names(plans_client, plans_app, q="dang thi") == [G]

    async def test_active_on_defaults_to_today(self, plans_app, plans_client, people):
        assert H in await names(plans_client, plans_app)
        assert H not in await names(plans_client, plans_app, active_on="2025-12-31")
        assert H in await names(plans_client, plans_app, active_on="2026-01-01")
        assert await names(plans_client, plans_app, active_on="2023-12-31") == []

    async def test_left_officials_are_not_listed(self, plans_app, plans_client, people):
        listed = await plans_client.get(
            OFFICIALS,
            headers=bearer(token_for(plans_app, roles=["viewer"])),
            params={"q": "an"},
        )
        an = next(o for o in listed.json()["items"] if o["full_name"] == A)
        await plans_client.patch(
            f"{OFFICIALS}/{an['id']}",
            headers=bearer(token_for(plans_app, roles=["reform_admin"])),
            json={"left_on": "2025-01-01"},
        )
        assert A not in await names(plans_client, plans_app)
        assert A in await names(plans_client, plans_app, active_on="2024-12-31")

    async def test_sort_by_name_and_by_unit(self, plans_app, plans_client, people):
        by_name = await names(plans_client, plans_app, sort="full_name")
        assert by_name == [G, E, C, A, D, B, H]  # Đặng after Đ folds to D, before Hoàng
        assert by_name == sorted(by_name, key=fold_words)
        assert await names(plans_client, plans_app, sort="-full_name") == by_name[::-1]
        # Phòng CCHC, Sở Nội vụ, Sở Tư pháp; names in order within each unit
        assert await names(plans_client, plans_app, sort="unit") == [G, B, E, A, H, C, D]
        assert await names(plans_client, plans_app, sort="-unit") == [D, C, H, A, E, B, G]

    async def test_unknown_sort_or_role_is_422(self, plans_app, plans_client, people):
        headers = bearer(token_for(plans_app, roles=["viewer"]))
        bad_sort = await plans_client.get(OFFICIALS, headers=headers, params={"sort": "email"})
        bad_role = await plans_client.get(OFFICIALS, headers=headers, params={"cchc_role": "x"})
        assert bad_sort.status_code == bad_role.status_code == 422

    async def test_unit_officer_filter_stays_in_their_subtree(
        self, plans_app, plans_client, people
    ):
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=people["office"].id))
        whole = await plans_client.get(
            OFFICIALS, headers=officer, params={"unit_id": str(people["province"].id)}
        )
        other = await plans_client.get(
            OFFICIALS, headers=officer, params={"unit_id": str(people["justice"].id)}
        )
        assert {o["full_name"] for o in whole.json()["items"]} == {B, G}
        assert other.json()["total"] == 0

    async def test_pagination(self, plans_app, plans_client, people):
        response = await plans_client.get(
            OFFICIALS,
            headers=bearer(token_for(plans_app, roles=["viewer"])),
            params={"limit": 2, "offset": 2},
        )
        body = response.json()
        assert (body["total"], len(body["items"]), body["offset"]) == (7, 2, 2)
