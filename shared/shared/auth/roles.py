"""The platform's role names, and the groups of them that routes admit.

The ready dependencies built on these groups (``Admin``, ``UnitWriter``, ``Reader``) are in
:mod:`shared.auth.dependencies`.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"
    REFORM_ADMIN = "reform_admin"
    UNIT_OFFICER = "unit_officer"
    CONTENT_MANAGER = "content_manager"
    INSTRUCTOR = "instructor"
    LEARNER = "learner"
    VIEWER = "viewer"


# Administer plans, units, periods and accounts, for every unit.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.REFORM_ADMIN})
# See every unit; everyone else is confined to their own unit's subtree.
ALL_UNITS_ROLES = frozenset({*ADMIN_ROLES, Role.VIEWER})
# Write for a unit (reports, files, officials): the admins anywhere, a unit officer below
# their own unit.
UNIT_WRITER_ROLES = frozenset({*ADMIN_ROLES, Role.UNIT_OFFICER})
# Read the registry: the roles that see every unit, and a unit officer below their own unit.
READER_ROLES = frozenset({*ALL_UNITS_ROLES, Role.UNIT_OFFICER})
