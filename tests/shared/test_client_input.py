"""Nothing a client sends gives a 500: NUL characters, huge offsets, repeated parameters."""

from __future__ import annotations

import pytest

from tests.factories import bearer, make_unit, token_for

USERS = "/api/auth/v1/users"
UNITS = "/api/plans/v1/units"
TOKEN = "/api/auth/v1/token"


def admin(plans_app) -> dict[str, str]:
    return bearer(token_for(plans_app, roles=["system_admin"]))


def new_user(**fields: object) -> dict[str, object]:
    return {"username": "nul.user", "password": "mot-mat-khau-dai", "roles": ["learner"], **fields}


def assert_nul(response, english: bool = False) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "nul_character"
    assert body["title"] == (
        "NUL character in the request" if english else "Yêu cầu chứa ký tự NUL"
    )


class TestNulCharacters:
    async def test_in_a_search_query(self, plans_app, plans_client):
        # PostgreSQL refuses NUL in text: this was a 500.
        response = await plans_client.get(USERS, params={"q": "a\x00b"}, headers=admin(plans_app))
        assert_nul(response)

    async def test_percent_encoded_in_the_raw_query(self, plans_app, plans_client):
        response = await plans_client.get(
            f"{USERS}?q=x%00", headers={**admin(plans_app), "Accept-Language": "en"}
        )
        assert_nul(response, english=True)

    async def test_in_a_query_parameter_name(self, plans_app, plans_client):
        assert_nul(await plans_client.get(f"{USERS}?q%00=x", headers=admin(plans_app)))

    async def test_in_the_path(self, plans_app, plans_client):
        assert_nul(await plans_client.get(f"{UNITS}/ab%00cd", headers=admin(plans_app)))

    async def test_in_a_json_string(self, plans_app, plans_client):
        unit = await make_unit(plans_app)
        response = await plans_client.post(
            USERS,
            headers=admin(plans_app),
            json=new_user(full_name="Trần\x00Văn", unit_id=str(unit.id)),
        )
        assert_nul(response)

    async def test_in_a_json_key(self, plans_app, plans_client):
        response = await plans_client.post(
            USERS, headers=admin(plans_app), json={"user\x00name": "x"}
        )
        assert_nul(response)

    async def test_an_escaped_backslash_before_u0000_is_not_nul(self, plans_app, plans_client):
        # The JSON text "\\u0000" is a backslash and "u0000", not a NUL: an ordinary 422.
        response = await plans_client.post(
            USERS,
            headers={**admin(plans_app), "Content-Type": "application/json"},
            content=b'{"username": "a\\\\u0000"}',
        )
        assert (response.status_code, response.json()["code"]) == (422, "validation_error")

    async def test_in_a_form_field(self, plans_client):
        response = await plans_client.post(
            TOKEN, data={"grant_type": "password", "username": "a\x00", "password": "x"}
        )
        assert_nul(response)

    async def test_raw_nul_in_a_form_body(self, plans_client):
        response = await plans_client.post(
            TOKEN,
            content=b"grant_type=password&username=a\x00b&password=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert_nul(response)

    async def test_nothing_is_written(self, plans_app, plans_client):
        await plans_client.post(
            USERS, headers=admin(plans_app), json=new_user(username="nul.none", full_name="\x00")
        )
        listed = await plans_client.get(USERS, params={"q": "nul.none"}, headers=admin(plans_app))
        assert listed.json()["total"] == 0

    async def test_learning_and_reporting_answer_the_same(self, learning_client, reporting_client):
        assert_nul(await learning_client.get("/api/learning/v1/x%00"))
        assert_nul(await reporting_client.get("/api/reporting/v1/me?x=%00"))


class TestPagination:
    async def test_a_huge_offset_is_422(self, plans_app, plans_client):
        response = await plans_client.get(
            USERS, params={"offset": 10**20}, headers=admin(plans_app)
        )
        assert (response.status_code, response.json()["code"]) == (422, "validation_error")

    async def test_offset_beyond_the_bound_is_422(self, plans_app, plans_client):
        response = await plans_client.get(
            USERS, params={"offset": 100_001}, headers=admin(plans_app)
        )
        assert response.status_code == 422

    async def test_the_bounds_are_in_the_openapi(self, plans_client):
        document = (await plans_client.get("/api/plans/v1/openapi.json")).json()
        parameters = {p["name"]: p["schema"] for p in document["paths"][UNITS]["get"]["parameters"]}
        assert parameters["limit"]["maximum"] == 200
        assert parameters["offset"]["maximum"] == 100_000


class TestRepeatedParameters:
    @pytest.mark.parametrize("query", ["limit=1&limit=2", "q=a&q=b", "offset=0&offset=1"])
    async def test_the_last_one_counts_and_nothing_fails(self, plans_app, plans_client, query):
        response = await plans_client.get(f"{USERS}?{query}", headers=admin(plans_app))
        assert response.status_code == 200
        if query.startswith("limit"):
            assert response.json()["limit"] == 2
