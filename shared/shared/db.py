"""Async SQLAlchemy wiring: one engine per app (created in lifespan), one session per request.

The session is committed by ``TransactionalRoute`` (the route class of every
:class:`shared.routing.ServiceRouter`) once the handler has returned and before the response is
sent; any exception rolls it back. Services and repositories flush, never commit. Tables take
their ``version`` and timestamps from the :class:`Versioned` and :class:`Timestamped` mixins.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import DateTime, Integer, MetaData, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.config import DatabaseSettings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """A ``version`` that every UPDATE raises: the row's ETag, and SQLAlchemy's optimistic
    lock (an UPDATE of a row changed meanwhile by another transaction fails, not overwrites)."""

    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # eager_defaults: the server's values (e.g. ``updated_at``) are read back by the flush.
        return {"version_id_col": cls.version, "eager_defaults": True}


class Timestamped:
    """When the row was created and last changed, both set by the database."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    return create_async_engine(
        settings.url.get_secret_value(),
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_pre_ping=True,
        echo=settings.echo,
        # Errors and the echo log show statements without their values (password hashes, names).
        hide_parameters=True,
    )


def create_sessionmaker(bind: Any) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind=bind, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        request.state.db_session = session
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise


DbSession = Annotated[AsyncSession, Depends(get_session)]


async def flush_unique(
    session: AsyncSession, constraint: str, error: Callable[[], Exception]
) -> None:
    """Flush in a savepoint; a violation of the unique ``constraint`` raises ``error()``.

    The safety net behind a "taken?" check made before the insert: two requests that both
    passed the check at once get a 409, not a 500."""
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        if constraint in str(exc.orig):
            raise error() from exc
        raise


class TransactionalRoute(APIRoute):
    """Commits the request's session after the endpoint returns, before the response is sent.

    Callables in ``request.state.before_commit`` see the response just before the commit.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def commit_after(request: Request) -> Response:
            response = await handler(request)
            session: AsyncSession | None = getattr(request.state, "db_session", None)
            if session is not None and session.in_transaction():
                for hook in getattr(request.state, "before_commit", []):
                    hook(response)
                await session.commit()
            return response

        return commit_after
