"""Counts are the denominators of training targets: exact per group, unit and date."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import bearer, make_official, make_unit, token_for

OFFICIALS = "/api/plans/v1/officials"
COUNTS = f"{OFFICIALS}/counts"
ZERO = dict.fromkeys(
    (
        "all_officials",
        "cchc_officials",
        "dedicated",
        "concurrent",
        "leaders",
        "one_stop_shop",
        "expert_pool",
        "leadership_source",
    ),
    0,
)


def groups(**counts: int) -> dict[str, int]:
    return {**ZERO, **counts}


@pytest.fixture
async def history(plans_app, plans_client):
    """Cần Thơ → Sở Nội vụ (→ Phòng CCHC), Sở Tư pháp. On 1 March 2025 Dung moves from Sở Tư
    pháp to Sở Nội vụ and becomes dedicated to CCHC; An leaves on 1 June 2025."""
    province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province")
    home = await make_unit(plans_app, name="Sở Nội vụ", parent=province)
    office = await make_unit(plans_app, name="Phòng CCHC", level="other", parent=home)
    justice = await make_unit(plans_app, name="Sở Tư pháp", parent=province)
    an = await make_official(plans_app, unit=office, full_name="An", cchc_role="dedicated")
    await make_official(
        plans_app, unit=home, full_name="Bình", cchc_role="concurrent", is_leader=True
    )
    dung = await make_official(plans_app, unit=justice, full_name="Dung", one_stop_shop=True)
    admin = bearer(token_for(plans_app, roles=["reform_admin"]))
    moved = await plans_client.patch(
        f"{OFFICIALS}/{dung.id}",
        headers=admin,
        json={"unit_id": str(home.id), "cchc_role": "dedicated", "effective_on": "2025-03-01"},
    )
    left = await plans_client.patch(
        f"{OFFICIALS}/{an.id}", headers=admin, json={"left_on": "2025-06-01"}
    )
    assert moved.status_code == left.status_code == 200
    return {"province": province, "home": home, "office": office, "justice": justice}


async def counts(client, app, **params):
    response = await client.get(
        COUNTS, headers=bearer(token_for(app, roles=["viewer"])), params=params
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return body["groups"], {u["name"]: u["groups"] for u in body["by_unit"]}


class TestCounts:
    async def test_the_day_before_the_change(self, plans_app, plans_client, history):
        total, by_unit = await counts(
            plans_client, plans_app, unit_id=str(history["province"].id), as_of="2025-02-28"
        )
        assert total == groups(
            all_officials=3,
            cchc_officials=2,
            dedicated=1,
            concurrent=1,
            leaders=1,
            one_stop_shop=1,
        )
        assert by_unit == {
            "Sở Nội vụ": groups(
                all_officials=2, cchc_officials=2, dedicated=1, concurrent=1, leaders=1
            ),
            "Sở Tư pháp": groups(all_officials=1, one_stop_shop=1),
        }

    async def test_the_day_of_the_change(self, plans_app, plans_client, history):
        total, by_unit = await counts(
            plans_client, plans_app, unit_id=str(history["province"].id), as_of="2025-03-01"
        )
        assert total == groups(
            all_officials=3,
            cchc_officials=3,
            dedicated=2,
            concurrent=1,
            leaders=1,
            one_stop_shop=1,  # Dung still works at a one-stop shop
        )
        assert by_unit["Sở Nội vụ"] == total
        assert by_unit["Sở Tư pháp"] == ZERO

    async def test_leaving_counts_until_the_day_before(self, plans_app, plans_client, history):
        root = str(history["province"].id)
        before, _ = await counts(plans_client, plans_app, unit_id=root, as_of="2025-05-31")
        after, _ = await counts(plans_client, plans_app, unit_id=root, as_of="2025-06-01")
        assert (before["all_officials"], before["dedicated"]) == (3, 2)
        assert (after["all_officials"], after["dedicated"]) == (2, 1)

    async def test_before_anyone_joined(self, plans_app, plans_client, history):
        total, by_unit = await counts(
            plans_client, plans_app, unit_id=str(history["province"].id), as_of="2023-12-31"
        )
        assert total == ZERO
        assert by_unit == {"Sở Nội vụ": ZERO, "Sở Tư pháp": ZERO}

    async def test_a_unit_rolls_up_its_children(self, plans_app, plans_client, history):
        total, by_unit = await counts(
            plans_client, plans_app, unit_id=str(history["home"].id), as_of="2025-02-28"
        )
        assert total["all_officials"] == 2  # Bình in the Sở, An in its Phòng
        assert by_unit == {"Phòng CCHC": groups(all_officials=1, cchc_officials=1, dedicated=1)}

    async def test_without_a_unit_by_province(self, plans_app, plans_client, history):
        total, by_unit = await counts(plans_client, plans_app, as_of="2025-03-01")
        assert total["all_officials"] == 3
        assert by_unit == {"Thành phố Cần Thơ": total}

    async def test_groups_can_be_chosen(self, plans_app, plans_client, history):
        total, _ = await counts(
            plans_client, plans_app, as_of="2025-03-01", group=["leaders", "dedicated"]
        )
        assert total == {"leaders": 1, "dedicated": 2}

    async def test_default_date_is_today(self, plans_app, plans_client, history):
        response = await plans_client.get(
            COUNTS, headers=bearer(token_for(plans_app, roles=["viewer"]))
        )
        body = response.json()
        assert date.fromisoformat(body["as_of"]) >= date(2026, 1, 1)
        assert body["groups"]["all_officials"] == 2

    async def test_retired_children_are_listed_only_while_they_exist(
        self, plans_app, plans_client, history
    ):
        admin = bearer(token_for(plans_app, roles=["reform_admin"]))
        retired = await plans_client.post(
            "/api/plans/v1/units",
            headers=admin,
            json={
                "code": "OLD",
                "name": "Sở cũ",
                "level": "department",
                "parent_id": str(history["province"].id),
                "valid_to": "2024-12-31",
            },
        )
        assert retired.status_code == 201
        root = str(history["province"].id)
        _, then = await counts(plans_client, plans_app, unit_id=root, as_of="2024-12-31")
        _, now = await counts(plans_client, plans_app, unit_id=root, as_of="2025-01-01")
        assert "Sở cũ" in then and "Sở cũ" not in now

    async def test_unit_officer_counts_their_units_only(self, plans_app, plans_client, history):
        officer = bearer(
            token_for(plans_app, roles=["unit_officer"], unit_id=history["justice"].id)
        )
        own = await plans_client.get(COUNTS, headers=officer, params={"as_of": "2025-02-28"})
        other = await plans_client.get(
            COUNTS, headers=officer, params={"unit_id": str(history["home"].id)}
        )
        assert own.json()["unit_id"] == str(history["justice"].id)
        assert own.json()["groups"]["all_officials"] == 1
        assert (other.status_code, other.json()["code"]) == (403, "unit_out_of_scope")

    async def test_unknown_group_is_422(self, plans_app, plans_client, history):
        response = await plans_client.get(
            COUNTS, headers=bearer(token_for(plans_app, roles=["viewer"])), params={"group": "x"}
        )
        assert response.status_code == 422
