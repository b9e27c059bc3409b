"""Accent-insensitive matching in PostgreSQL through the IMMUTABLE ``f_unaccent`` wrapper."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import literal, select, text

from shared.search import contains, folded


@pytest.mark.parametrize(
    ("haystack", "needle", "found"),
    [
        ("Sở Tư pháp Sóc Trăng", "tu phap", True),
        ("Sở Tư pháp Sóc Trăng", "SÓC TRĂNG", True),
        ("Đề án 04", "de an", True),
        ("Tỷ lệ 100%", "0%", True),
        ("Tỷ lệ 1000", "0%", False),
        ("mã_số", "a_s", True),
        ("maxso", "a_s", False),
    ],
)
async def test_contains(plans_app: FastAPI, haystack: str, needle: str, found: bool) -> None:
    async with plans_app.state.engine.connect() as conn:
        assert await conn.scalar(select(contains(literal(haystack), needle))) is found


async def test_f_unaccent_is_immutable_and_folds(plans_app: FastAPI) -> None:
    async with plans_app.state.engine.connect() as conn:
        assert await conn.scalar(select(folded(literal("Cải Cách")))) == "cai cach"
        volatility = await conn.scalar(
            text("SELECT provolatile::text FROM pg_proc WHERE proname = 'f_unaccent'")
        )
    assert volatility == "i"
