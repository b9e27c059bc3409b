from __future__ import annotations

import uuid

from tests.factories import bearer, make_unit, token_for


class TestUnitAccess:
    async def test_unit_officer_sees_own_subtree_only(self, plans_app, plans_client):
        province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province")
        department = await make_unit(plans_app, name="Sở Nội vụ", parent=province)
        commune = await make_unit(
            plans_app, name="Phường Ninh Kiều", level="commune", parent=province
        )
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=department.id))

        own = await plans_client.get(f"/api/plans/v1/units/{department.id}", headers=officer)
        other = await plans_client.get(f"/api/plans/v1/units/{commune.id}", headers=officer)
        parent = await plans_client.get(f"/api/plans/v1/units/{province.id}", headers=officer)

        assert own.status_code == 200
        assert own.json()["name"] == "Sở Nội vụ"
        assert (other.status_code, other.json()["code"]) == (403, "forbidden")
        assert parent.status_code == 403

    async def test_province_officer_sees_units_below(self, plans_app, plans_client):
        province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province")
        department = await make_unit(plans_app, name="Sở Tư pháp", parent=province)
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=province.id))
        response = await plans_client.get(f"/api/plans/v1/units/{department.id}", headers=officer)
        assert response.status_code == 200

    async def test_ancestors(self, plans_app, plans_client):
        province = await make_unit(plans_app, level="province")
        department = await make_unit(plans_app, parent=province)
        response = await plans_client.get(
            f"/api/plans/v1/units/{department.id}/ancestors",
            headers=bearer(token_for(plans_app, roles=["viewer"])),
        )
        assert set(response.json()) == {str(province.id), str(department.id)}

    async def test_reform_admin_creates_units(self, plans_app, plans_client):
        headers = bearer(token_for(plans_app, roles=["reform_admin"]))
        response = await plans_client.post(
            "/api/plans/v1/units",
            headers=headers,
            json={"code": "92", "name": "Thành phố Cần Thơ", "level": "province"},
        )
        assert response.status_code == 201
        bad_parent = await plans_client.post(
            "/api/plans/v1/units",
            headers=headers,
            json={
                "code": "31153",
                "name": "Phường X",
                "level": "commune",
                "parent_id": str(uuid.uuid4()),
            },
        )
        assert bad_parent.status_code == 422

    async def test_unit_officer_cannot_create_units(self, plans_app, plans_client):
        headers = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=uuid.uuid4()))
        response = await plans_client.post(
            "/api/plans/v1/units",
            headers=headers,
            json={"code": "92", "name": "X", "level": "province"},
        )
        assert response.status_code == 403
