from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plans_api.identity.service import TokenService


def get_token_service(request: Request) -> TokenService:
    return TokenService(
        request.app.state.sessionmaker, request.app.state.settings, request.app.state.keyring
    )


TokenServiceDep = Annotated[TokenService, Depends(get_token_service)]
