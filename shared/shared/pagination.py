"""Offset pagination: ``limit``/``offset`` query parameters and a ``Page`` envelope with a total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
MAX_LIMIT = 200
MAX_OFFSET = 100_000  # deeper pages are a filter's job; bigger numbers would overflow int64


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Số bản ghi tối đa / page size")
    ] = 50,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu bản ghi / rows to skip")
    ] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Pagination = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


async def paginate(session: AsyncSession, query: Select, params: PageParams) -> tuple[list, int]:
    """Rows of one page of ``query`` and the total count of the query without paging."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.scalars(query.limit(params.limit).offset(params.offset))).all()
    return list(rows), int(total or 0)
