from tests.factories import bearer, token_for


async def test_reporting_accepts_a_plans_token(plans_app, reporting_client):
    unit_id = "7f1c8a52-1f7e-4a43-9b7c-0d2a7a1f0c11"
    token = token_for(plans_app, roles=["viewer"], unit_id=unit_id)  # type: ignore[arg-type]
    response = await reporting_client.get("/api/reporting/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["roles"] == ["viewer"]
    assert response.json()["unit_id"] == unit_id


async def test_reporting_refuses_no_token(reporting_client):
    response = await reporting_client.get("/api/reporting/v1/me")
    assert response.status_code == 401
