from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plans_api.identity.service import TokenService
from shared.auth.dependencies import require_roles
from shared.auth.tokens import Principal


def get_token_service(request: Request) -> TokenService:
    return TokenService(
        request.app.state.sessionmaker, request.app.state.settings, request.app.state.keyring
    )


TokenServiceDep = Annotated[TokenService, Depends(get_token_service)]
AccountAdmin = Annotated[Principal, Depends(require_roles("system_admin", "reform_admin"))]
