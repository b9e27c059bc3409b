from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from shared.text import trim
from shared.validation_messages import Invalid

Role = Literal[
    "system_admin",
    "reform_admin",
    "unit_officer",
    "content_manager",
    "instructor",
    "learner",
    "viewer",
]
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,149}$")


def _username(value: str) -> str:
    value = value.strip().lower()
    if not _USERNAME.match(value):
        raise Invalid(
            "Từ 3 đến 150 ký tự: chữ cái, chữ số, '.', '_', '@', '-'",
            "3–150 characters: letters, digits, '.', '_', '@', '-'",
        )
    return value


Username = Annotated[str, AfterValidator(_username)]
FullName = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(trim)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=256)]
Scope = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.:-]{1,63}$")]


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int
    refresh_token: str | None = None
    scope: str | None = None


class MeRead(BaseModel):
    id: str
    username: str | None
    full_name: str | None
    unit_id: UUID | None
    roles: list[str]
    official_id: UUID | None
    kind: Literal["user", "client"]
    scopes: list[str] = Field(default_factory=list)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    password: Password
    full_name: FullName
    unit_id: UUID | None = None
    roles: list[Role] = Field(min_length=1, max_length=7)
    official_id: UUID | None = None


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Password | None = None
    full_name: FullName | None = None
    unit_id: UUID | None = None
    roles: list[Role] | None = Field(None, min_length=1, max_length=7)
    official_id: UUID | None = None
    is_active: bool | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Password


class RevocationRead(BaseModel):
    user_id: UUID
    valid_after: int = Field(description="the first `iat` (seconds since 1970) still accepted")


class RevocationList(BaseModel):
    items: list[RevocationRead]
    window_seconds: int = Field(description="entries older than this concern expired tokens only")


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    username: str
    full_name: str
    unit_id: UUID | None
    roles: list[str]
    official_id: UUID | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class ClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(trim)]
    scopes: list[Scope] = Field(default_factory=list, max_length=50)


class ClientCreated(BaseModel):
    id: UUID
    name: str
    client_id: str
    client_secret: str = Field(description="Shown only in this response; store it safely.")
    scopes: list[str]
