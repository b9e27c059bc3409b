"""Unit names as task tables write them, matched to the unit registry.

:func:`normalize_name` is the key both sides go through (accents, case, punctuation and
abbreviations such as ``UBND``, ``TP``, ``Sở TT&TT`` do not matter); :func:`match_names` matches
the names of cells to one province's units, from strict to loose, in memory
(:func:`plans_api.unit.repository.match_unit_names` loads the units).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from shared.text import fold

_ABBREVIATIONS = tuple(
    (re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])"), f" {words} ")
    for pattern, words in (
        (r"tt\s*[&-]\s*tt|tttt", "thong tin va truyen thong"),
        (r"kh\s*[&-]?\s*dt", "ke hoach va dau tu"),
        (r"ld\s*[-,&]?\s*tb\s*[-&]?\s*xh", "lao dong thuong binh va xa hoi"),
        (r"gd\s*[&-]?\s*dt", "giao duc va dao tao"),
        (r"vh\s*[,-]?\s*tt\s*[&-]?\s*dl", "van hoa the thao va du lich"),
        (r"tn\s*[&-]?\s*mt", "tai nguyen va moi truong"),
        (r"nn\s*[&-]?\s*ptnt", "nong nghiep va phat trien nong thon"),
        (r"kh\s*[&-]?\s*cn", "khoa hoc va cong nghe"),
        (r"gt\s*[&-]?\s*vt", "giao thong van tai"),
        (r"ubmttq(?:\s*vn)?", "uy ban mat tran to quoc viet nam"),
        (r"ubkt", "uy ban kiem tra"),
        (r"dbqh", "dai bieu quoc hoi"),
        (r"ubnd", "uy ban nhan dan"),
        (r"hdnd", "hoi dong nhan dan"),
        (r"tp\s*\.?\s*hcm|tphcm", "thanh pho ho chi minh"),
        (r"hcm", "ho chi minh"),
        (r"tp", "thanh pho"),
        (r"vp", "van phong"),
        (r"tthc", "thu tuc hanh chinh"),
        (r"cchc", "cai cach hanh chinh"),
        (r"cbccvc", "can bo cong chuc vien chuc"),
        (r"bchqs", "ban chi huy quan su"),
        (r"bch", "ban chi huy"),
        (r"bql", "ban quan ly"),
        (r"ptth", "phat thanh truyen hinh"),
        (r"ttpvhcc", "trung tam phuc vu hanh chinh cong"),
        (r"cntt", "cong nghe thong tin"),
        (r"tw", "trung uong"),
    )
)


def normalize_name(name: str) -> str:
    """The key to match a unit's name with: NFC, lower case, no accents (đ → d), abbreviations
    spelled out (``UBND`` → ``uy ban nhan dan``, ``Sở TT&TT`` → ``so thong tin va truyen thong``),
    ``&`` read as ``và``, punctuation and runs of spaces made one space."""
    text = fold(name)
    for pattern, words in _ABBREVIATIONS:
        text = pattern.sub(words, text)
    return " ".join(re.sub(r"[\W_]+", " ", text.replace("&", " va ")).split())


@dataclass(frozen=True)
class NameMiss:
    """Why a name matched no unit: ``unknown`` (no unit of the province bears it) or
    ``ambiguous`` (several do; ``candidates`` are their names)."""

    code: Literal["unknown", "ambiguous"]
    candidates: tuple[str, ...] = ()

    @property
    def message_vi(self) -> str:
        if self.code == "unknown":
            return "Không tìm thấy đơn vị có tên này trong tỉnh/thành phố"
        return "Tên này ứng với nhiều đơn vị: " + "; ".join(self.candidates)

    @property
    def message_en(self) -> str:
        if self.code == "unknown":
            return "No unit of the province has this name"
        return "The name fits several units: " + "; ".join(self.candidates)


class NameMatches(dict[str, UUID | None]):
    """``name → unit id`` (None when unmatched); ``misses[name]`` says why a name is None."""

    def __init__(self) -> None:
        super().__init__()
        self.misses: dict[str, NameMiss] = {}


_COMMITTEE = "uy ban nhan dan "
_AREA_WORDS = ("thanh pho ", "tinh ", "thi xa ", "thi tran ", "quan ", "huyen ", "phuong ", "xa ")
# "UBND tỉnh", "UBND thành phố" in a plan of the province: the province's own People's Committee.
_PROVINCE_ITSELF = ("tinh", "thanh pho")


def _without_area_word(key: str) -> str:
    return next((key.removeprefix(w) for w in _AREA_WORDS if key.startswith(w)), key)


@dataclass(frozen=True)
class _Keys:
    """How a name is compared, from strict to loose; the same steps apply to cells and units."""

    province_suffixes: tuple[str, ...]

    @classmethod
    def of_province(cls, province_name: str) -> _Keys:
        full = normalize_name(province_name)
        bare = _without_area_word(full)
        return cls((full, f"tinh {bare}", f"thanh pho {bare}", bare, "thanh pho", "tinh"))

    def __call__(self, text: str, *, cell: bool = False) -> tuple[str, str, str]:
        """The normalised name without a leading "Ủy ban nhân dân" ("UBND phường Sài Gòn" meets
        "Phường Sài Gòn"); then also without a trailing mention of the province ("Sở Tư pháp TP
        Cần Thơ" meets "Sở Tư pháp"); then a unit's name without its leading kind of area, met by
        a cell that names no kind ("Sóc Trăng" meets "Tỉnh Sóc Trăng", "Xã Phong Điền" never
        meets "Huyện Phong Điền")."""
        exact = normalize_name(text).removeprefix(_COMMITTEE)
        local = next(
            (
                exact.removesuffix(" " + s)
                for s in self.province_suffixes
                if exact.endswith(" " + s)
            ),
            exact,
        )
        if local in _PROVINCE_ITSELF:  # "Thành phố Cần Thơ" itself, not a unit "of" it
            local = exact
        bare = _without_area_word(exact)
        if cell:
            bare = exact if bare == exact else ""
        return exact, local, bare


class _Index:
    """The province's units by key, one dictionary per strictness tier."""

    def __init__(self) -> None:
        self.tiers: tuple[dict[str, set[UUID]], ...] = ({}, {}, {})
        self.names: dict[UUID, str] = {}

    def add(self, unit_id: UUID, name: str, keys: Iterable[str]) -> None:
        self.names[unit_id] = name
        for tier, key in zip(self.tiers, keys, strict=True):
            if key:
                tier.setdefault(key, set()).add(unit_id)

    def find(self, keys: Iterable[str]) -> set[UUID]:
        for tier, key in zip(self.tiers, keys, strict=True):
            if key and key in tier:
                return tier[key]
        return set()


def match_names(
    units: Sequence[Any], province_id: UUID, province_name: str, names: Iterable[str]
) -> NameMatches:
    """Match ``names`` to ``units`` (rows with ``id``, ``name`` and ``short_name``: the units of
    the province ``province_id``), as :func:`plans_api.unit.repository.match_unit_names` says."""
    keys = _Keys.of_province(province_name)
    index = _Index()
    for row in units:
        for text in (row.name, row.short_name):
            if text:
                index.add(row.id, row.name, keys(text))
        if row.id == province_id:
            for word in _PROVINCE_ITSELF:
                index.add(row.id, row.name, (word, "", ""))
    result = NameMatches()
    for name in names:
        found = index.find(keys(name, cell=True))
        result[name] = next(iter(found)) if len(found) == 1 else None
        if len(found) != 1:
            candidates = tuple(sorted(index.names[i] for i in found))
            result.misses[name] = NameMiss("ambiguous" if found else "unknown", candidates)
    return result
