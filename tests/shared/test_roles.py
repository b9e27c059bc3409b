"""Role names and the ready role dependencies: which callers each admits, and the 403 others get."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from plans_api.identity.schemas import Role as AccountRole
from shared.auth.dependencies import Admin, Reader, UnitWriter
from shared.auth.roles import Role
from shared.auth.tokens import Principal
from shared.errors import Forbidden


def _user(*roles: str) -> Principal:
    return Principal(subject="u", kind="user", roles=frozenset(roles))


async def _admits(alias: Any, role: str) -> bool:
    check = get_args(alias)[1].dependency
    try:
        await check(_user(role))
    except Forbidden:
        return False
    return True


@pytest.mark.parametrize(
    ("alias", "admitted"),
    [
        (Admin, {"system_admin", "reform_admin"}),
        (UnitWriter, {"system_admin", "reform_admin", "unit_officer"}),
        (Reader, {"system_admin", "reform_admin", "viewer", "unit_officer"}),
    ],
)
async def test_who_each_dependency_admits(alias: Any, admitted: set[str]) -> None:
    assert {role for role in Role if await _admits(alias, role)} == admitted


async def test_refusal_names_the_roles_in_a_stable_order() -> None:
    with pytest.raises(Forbidden) as refused:
        await get_args(UnitWriter)[1].dependency(_user("viewer", "learner"))
    assert refused.value.extra["required_roles"] == ["reform_admin", "system_admin", "unit_officer"]


def test_accounts_grant_exactly_the_platform_roles() -> None:
    assert set(get_args(AccountRole)) == {role.value for role in Role}
