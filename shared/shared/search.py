"""Accent- and case-insensitive search in PostgreSQL (``unaccent`` + ``pg_trgm``).

``unaccent()`` is only STABLE, so an index cannot use it: every service's first migration
creates the IMMUTABLE wrapper ``f_unaccent`` (:data:`CREATE_F_UNACCENT`) and indexes
``f_unaccent(lower(column))`` with :func:`trigram_index_sql`; queries match with :func:`contains`
so that they hit those indexes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal

from shared.text import contains_pattern

EXTENSIONS = ("unaccent", "pg_trgm")

CREATE_F_UNACCENT = """
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""
DROP_F_UNACCENT = "DROP FUNCTION IF EXISTS f_unaccent(text)"


def create_extensions_sql() -> list[str]:
    return [f"CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA public" for name in EXTENSIONS]


def trigram_index_sql(table: str, column: str) -> str:
    """The GIN index that :func:`contains` on ``table.column`` uses."""
    return (
        f"CREATE INDEX ix_{table}_{column}_search ON {table} "
        f"USING gin (f_unaccent(lower({column})) gin_trgm_ops)"
    )


def folded(column: Any) -> ColumnElement[str]:
    """``f_unaccent(lower(column))``: the key accent-insensitive sorting and matching use."""
    return func.f_unaccent(func.lower(column))


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case and accents, wildcards in ``text`` literal."""
    return folded(column).ilike(folded(literal(contains_pattern(text))), escape="\\")
