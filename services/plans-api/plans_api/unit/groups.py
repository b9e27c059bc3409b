"""Groups of units that task tables name by kind (``Sở, ban, ngành TP``, ``UBND cấp xã``): their
codes and the unit levels each one reaches within a plan's province."""

from __future__ import annotations

from enum import StrEnum

from plans_api.unit.schemas import UnitLevel


class GroupCode(StrEnum):
    PROVINCE_DEPARTMENTS = "province_departments"  # Sở, ban, ngành TP
    AREA_LEAD_DEPARTMENTS = "area_lead_departments"  # các sở phụ trách các lĩnh vực CCHC
    DISTRICT_COMMITTEES = "district_committees"  # UBND quận, huyện; UBND cấp huyện
    COMMUNE_COMMITTEES = "commune_committees"  # UBND cấp xã; UBND xã, phường, thị trấn
    LOCAL_COMMITTEES = "local_committees"  # (các) địa phương
    ALL_COMMITTEES = "all_committees"  # UBND các cấp
    CENTRAL_AGENCIES = "central_agencies"  # cơ quan Trung ương / ngành dọc đóng trên địa bàn
    UNITS_CONCERNED = "units_concerned"  # các cơ quan, đơn vị có liên quan


# (levels, every): the unit levels a group resolves to (empty: any), and whether it means every
# unit of those levels or only the ones concerned, to be named by a person.
GROUP_SHAPES: dict[GroupCode, tuple[tuple[UnitLevel, ...], bool]] = {
    GroupCode.PROVINCE_DEPARTMENTS: (("department",), True),
    GroupCode.AREA_LEAD_DEPARTMENTS: (("department",), False),
    GroupCode.DISTRICT_COMMITTEES: (("district",), True),
    GroupCode.COMMUNE_COMMITTEES: (("commune",), True),
    GroupCode.LOCAL_COMMITTEES: (("district", "commune"), True),
    GroupCode.ALL_COMMITTEES: (("province", "district", "commune"), True),
    GroupCode.CENTRAL_AGENCIES: (("other",), False),
    GroupCode.UNITS_CONCERNED: ((), False),
}

# The unit levels through which each group reaches a unit.
GROUP_LEVELS: dict[str, frozenset[str]] = {
    code.value: frozenset(levels) for code, (levels, _every) in GROUP_SHAPES.items()
}
