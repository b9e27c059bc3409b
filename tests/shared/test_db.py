"""The ``Versioned`` and ``Timestamped`` mixins on a real table (created and dropped in one
rolled-back transaction of the plans test database)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import String, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from shared.db import Timestamped, Versioned, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class Note(Versioned, Timestamped, Base):
    __tablename__ = "kit_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(20))


@pytest.fixture
async def session(plans_db_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(plans_db_url)
    async with engine.connect() as conn:
        outer = await conn.begin()
        await conn.run_sync(Base.metadata.create_all)
        yield AsyncSession(bind=conn, join_transaction_mode="create_savepoint")
        await outer.rollback()
    await engine.dispose()


async def test_the_columns_and_their_server_values(session: AsyncSession) -> None:
    assert {"version", "created_at", "updated_at"} <= set(Note.__table__.c.keys())
    note = Note(body="a")
    session.add(note)
    await session.flush()
    # Read back by the flush itself (eager defaults): no lazy load after the request's commit.
    assert note.version == 1
    assert note.created_at is not None and note.updated_at is not None


async def test_every_update_raises_the_version(session: AsyncSession) -> None:
    note = Note(body="a")
    session.add(note)
    await session.flush()
    note.body = "b"
    await session.flush()
    note.body = "c"
    await session.flush()
    assert note.version == 3


async def test_an_update_of_a_row_changed_meanwhile_fails(session: AsyncSession) -> None:
    note = Note(body="a")
    session.add(note)
    await session.flush()
    await session.execute(text("UPDATE kit_notes SET version = version + 1"))
    note.body = "b"
    with pytest.raises(StaleDataError):
        await session.flush()
