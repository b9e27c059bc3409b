"""A few hundred synthetic officials, the same on every run (a fixed seed).

Plausible Vietnamese names, spread over the demo units with leaders, CCHC officials (dedicated at
the Sở Nội vụ, concurrent elsewhere), one-stop-shop staff at the People's Committees, and a few in
the expert pool or the leadership source. An official of a unit that was later merged moves to its
successor on the day of the merger (a new version); one whose unit was abolished without a
successor (a district) leaves the day after its last (``left_on`` is the first day away, as the
officials service records it).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from plans_api.demo.records import SuccessionRecord, UnitRecord
from shared.text import strip_accents

DEFAULT_COUNT = 300
DEFAULT_SEED = 20230317  # the day Kế hoạch 57/KH-UBND was signed


@dataclass(frozen=True)
class Stint:
    """A period in one unit: ``valid_to`` exclusive, None while it lasts."""

    unit: str
    valid_from: date
    valid_to: date | None = None


@dataclass(frozen=True)
class OfficialRecord:
    employee_code: str
    full_name: str
    position: str
    is_leader: bool
    cchc_role: str  # dedicated, concurrent, none
    one_stop_shop: bool
    education_level: str
    cchc_since: date | None
    expert_pool: bool
    leadership_source: bool
    email: str
    joined_on: date
    stints: tuple[Stint, ...]
    left_on: date | None = None

    @property
    def unit(self) -> str:
        return self.stints[-1].unit


_FAMILY = (
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 5), ("Hoàng", 4),
    ("Phan", 4), ("Võ", 4), ("Vũ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 1), ("Trương", 1), ("Lâm", 1), ("Lý", 1), ("Thạch", 1),
)  # fmt: skip
_MIDDLE = {
    "m": ("Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Hoàng", "Công", "Trọng"),
    "f": ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Bích", "Mỹ", "Hồng", "Thùy"),
}
_GIVEN = {
    "m": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Khoa", "Long", "Minh", "Nam",
          "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Vinh",
          "Hiếu", "Lộc", "Tâm", "Trí", "Đạt", "Nghĩa"),
    "f": ("Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai",
          "My", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Trinh", "Tuyết",
          "Vân", "Yến", "Thủy", "Hiền", "Diễm"),
}  # fmt: skip
_EDUCATION = (("Đại học", 68), ("Thạc sĩ", 25), ("Tiến sĩ", 2), ("Cao đẳng", 3), ("Trung cấp", 2))

# Per unit level: the head, the deputy, then the staff positions (repeated: drawn more often).
_POSITIONS = {
    "department": (
        "Giám đốc",
        "Phó Giám đốc",
        ("Trưởng phòng", "Chuyên viên chính", "Chuyên viên", "Chuyên viên", "Chuyên viên"),
    ),
    "other": (
        "Thủ trưởng đơn vị",
        "Phó Thủ trưởng đơn vị",
        ("Trưởng phòng", "Chuyên viên", "Chuyên viên", "Chuyên viên"),
    ),
    "district": (
        "Chủ tịch UBND",
        "Phó Chủ tịch UBND",
        ("Trưởng phòng Nội vụ", "Chuyên viên Phòng Nội vụ", "Công chức Bộ phận Một cửa",
         "Công chức Bộ phận Một cửa"),
    ),
    "commune": (
        "Chủ tịch UBND",
        "Phó Chủ tịch UBND",
        ("Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch",
         "Công chức Bộ phận Một cửa", "Công chức Bộ phận Một cửa"),
    ),
}  # fmt: skip
_WEIGHTS = {"department": 10, "other": 5, "district": 6, "commune": 9}
_HOME_AFFAIRS_WEIGHT = 16


def generate_officials(
    units: Sequence[UnitRecord],
    successions: Sequence[SuccessionRecord],
    *,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
) -> list[OfficialRecord]:
    """``count`` officials over the units that have staff (not the provinces themselves)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    staffed = [u for u in units if u.level in _WEIGHTS]
    officials: list[OfficialRecord] = []
    for unit, quota in zip(staffed, _quotas(staffed, count), strict=True):
        for rank in range(quota):
            number = len(officials) + 1
            officials.append(_official(rng, unit, rank, number, successions, units))
    return officials


def _weight(unit: UnitRecord) -> int:
    return _HOME_AFFAIRS_WEIGHT if unit.key.endswith(".snv") else _WEIGHTS[unit.level]


def _quotas(units: Sequence[UnitRecord], count: int) -> list[int]:
    """``count`` split by weight, largest remainders first, so the total is exact."""
    weights = [_weight(u) for u in units]
    total = sum(weights)
    exact = [count * w / total for w in weights]
    quotas = [int(x) for x in exact]
    by_remainder = sorted(range(len(units)), key=lambda i: exact[i] - quotas[i], reverse=True)
    for i in by_remainder[: count - sum(quotas)]:
        quotas[i] += 1
    return quotas


def _official(
    rng: random.Random,
    unit: UnitRecord,
    rank: int,
    number: int,
    successions: Sequence[SuccessionRecord],
    units: Sequence[UnitRecord],
) -> OfficialRecord:
    sex = rng.choice("mf")
    family = rng.choices([f for f, _ in _FAMILY], [w for _, w in _FAMILY])[0]
    given = rng.choice(_GIVEN[sex])
    name = f"{family} {rng.choice(_MIDDLE[sex])} {given}"
    head, deputy, staff = _POSITIONS[unit.level]
    position = head if rank == 0 else deputy if rank == 1 else rng.choice(staff)
    leader = rank < 2 or position.startswith("Trưởng phòng")
    one_stop = "Một cửa" in position
    role = _cchc_role(rng, unit, rank, one_stop)
    joined = unit.valid_from or date(
        rng.randint(1998, 2022), rng.randint(1, 12), rng.randint(1, 28)
    )
    since = _cchc_since(rng, joined) if role != "none" else None
    stints, left_on = _stints(unit, joined, successions, units)
    return OfficialRecord(
        employee_code=f"DEMO-{number:04d}",
        full_name=name,
        position=position,
        is_leader=leader,
        cchc_role=role,
        one_stop_shop=one_stop,
        education_level=rng.choices([e for e, _ in _EDUCATION], [w for _, w in _EDUCATION])[0],
        cchc_since=since,
        expert_pool=role != "none" and rng.random() < 0.12,
        leadership_source=role != "none" and not leader and rng.random() < 0.2,
        email=f"{_ascii(given)}.{_initials(name)}{number:04d}@demo.cchc.example",
        joined_on=joined,
        stints=stints,
        left_on=left_on,
    )


def _cchc_role(rng: random.Random, unit: UnitRecord, rank: int, one_stop: bool) -> str:
    if unit.key.endswith(".snv") and 2 <= rank <= 5:
        return "dedicated"  # the CCHC division of the Department of Home Affairs
    if one_stop or rank == 1:
        return "concurrent"
    return "concurrent" if rng.random() < 0.3 else "none"


def _cchc_since(rng: random.Random, joined: date) -> date:
    start = max(joined, date(2012, 1, 1))
    return start + timedelta(days=rng.randint(0, max((date(2024, 12, 31) - start).days, 0)))


def _stints(
    unit: UnitRecord,
    joined: date,
    successions: Sequence[SuccessionRecord],
    units: Sequence[UnitRecord],
) -> tuple[tuple[Stint, ...], date | None]:
    """The units an official passes through as their unit is merged; the day they leave when
    it is abolished without a successor."""
    by_key = {u.key: u for u in units}
    stints, current, start = [], unit, joined
    while current.valid_to is not None:
        successor = next((s for s in successions if s.predecessor == current.key), None)
        end = current.valid_to + timedelta(days=1)
        if successor is None:  # the last version ends on left_on, as the officials service has it
            stints.append(Stint(current.key, start, end))
            return tuple(stints), end
        stints.append(Stint(current.key, start, successor.effective_on))
        current, start = by_key[successor.successor], max(start, successor.effective_on)
    stints.append(Stint(current.key, start))
    return tuple(stints), None


def _ascii(text: str) -> str:
    return "".join(c for c in strip_accents(text) if c.isascii() and c.isalnum()).lower()


def _initials(name: str) -> str:
    return "".join(_ascii(part)[:1] for part in name.split()[:-1])
