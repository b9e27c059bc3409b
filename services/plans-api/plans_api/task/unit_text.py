"""The units named in a cell of a task table.

A lead or coordinating cell names one or more units and groups of units, separated by commas,
``và``, ``;``, new lines, leading dashes or numbers (``1. Sở Nội vụ (...) 2. UBND cấp huyện``).
:func:`parse_unit_cell` splits it without breaking names or group phrases that contain commas or
``và`` (``Sở, ban, ngành TP``, ``UBND quận, huyện``, ``Sở Lao động, Thương binh và Xã hội``,
``Sở Thông tin và Truyền thông``) and returns:

- :class:`UnitMention` for each named unit: its words and a :func:`normalize_name` key to match
  against the unit registry (accents, case, punctuation and abbreviations such as ``UBND``, ``TP``,
  ``Sở TT&TT`` do not matter);
- :class:`UnitGroup` for each group phrase: every department of the province, every district or
  commune People's Committee, or the unnamed units concerned. A group keeps its words and says which
  unit levels it resolves to, as of a date, and whether it means every unit of those levels
  (``every``) or only some, to be named by a person.

Splitting rules: a line break ends an item when the next line starts with a bullet, or with a
unit's first word (``Sở``, ``UBND``, ``Văn phòng``, ``Các ...`` …) and the line does not end with a
connector (``và``, ``-``, ``,``); other line breaks are wraps inside a name. A comma ends an item
only when what follows starts a new name or a bare group (``địa phương``); ``và`` only when what
follows is a new name or a group. Commas inside brackets and inside the group phrases above never
split. Bracketed remarks (``(tổ chức trong tỉnh)``) become the item's ``note``; HTML markup from
DOCX extraction (``<i>``) is dropped; a leader's title (``Giám đốc Sở Nội vụ``) stays in the words
but not in the key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from plans_api.unit.groups import GROUP_SHAPES, GroupCode
from plans_api.unit.names import normalize_name
from plans_api.unit.schemas import UnitLevel


@dataclass(frozen=True)
class UnitGroup:
    """A group phrase. ``levels`` are the unit levels it resolves to within the plan's province
    (empty: any); ``every`` means all units of those levels, otherwise only the ones concerned."""

    code: GroupCode
    text: str
    levels: tuple[UnitLevel, ...]
    every: bool
    note: str | None = None


@dataclass(frozen=True)
class UnitMention:
    """A named unit: the words of the cell and the key to match the registry with."""

    text: str
    normalized: str
    note: str | None = None


@dataclass(frozen=True)
class UnitCell:
    text: str
    mentions: tuple[UnitMention, ...]
    groups: tuple[UnitGroup, ...]


_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


# ---------------------------------------------------------------- the shadow of a text


@lru_cache(maxsize=2048)
def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    if c in _DASHES:
        return "-"
    if c == "\xa0":
        return " "
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c


def _shadow(text: str) -> str:
    """``text`` folded character by character (same length, so positions carry over)."""
    return "".join(_fold_char(c) for c in text)


_PC = r"(?:ubnd|uy\s+ban\s+nhan\s+dan)"
_PROVINCE = r"(?:tinh|thanh\s+pho|tp)\b\.?"
_WHERE = (
    rf"(?:\s+(?:{_PROVINCE}|(?:truc\s+)?thuoc\s+{_PC}(?:\s+{_PROVINCE})?"
    rf"|(?:thuoc|cua|trong)\s+{_PROVINCE}|tren\s+dia\s+ban(?:\s+{_PROVINCE})?))?"
)
_ALL = r"(?:(?:cac|tat\s+ca\s+cac|toan\s+bo\s+cac|toan\s+the\s+cac)\s+)?"
_AREA = r"(?:cap\s+)?(?:thi\s+xa|thi\s+tran|dac\s+khu|thanh\s+pho|tp|quan|huyen|xa|phuong)\b"
_HEAD = re.compile(
    r"\s*(?:cac\s+\w|(?:so|ubnd|uy\s+ban|hdnd|hoi\s+dong|van\s+phong|vp|ban|bch|bo|truong"
    r"|hoc\s+vien|vien|cong\s+an|trung\s+tam|dai|bao|bhxh|hoi|lien\s+doan|lien\s+minh"
    r"|thanh\s+tra|kho\s+bac|cuc|chi\s+cuc|chi\s+nhanh|phong|toa\s+an|tinh\s+uy|thanh\s+uy"
    r"|huyen\s+uy|quan\s+uy|thi\s+uy|dang\s+uy|dang\s+bo|tinh\s+doan|thanh\s+doan|mat\s+tran"
    r"|ubmttq|doan|tong\s+cong\s+ty|cong\s+ty|buu\s+dien|ngan\s+hang|benh\s+vien"
    r"|thu\s+truong|giam\s+doc|chu\s+tich|lanh\s+dao|nguoi\s+dung\s+dau)\b)"
)
_TITLE = re.compile(
    r"(?:thu\s+truong|giam\s+doc|chu\s+tich|lanh\s+dao|nguoi\s+dung\s+dau)\s+(?:cua\s+)?"
)
_PROTECTED = re.compile(
    "|".join(
        (
            r"\bso\s*[,\-]?\s*(?:ban\s*[,\-]?\s*)?nganh\b",
            r"\bco\s+quan\s*[,\-]\s*(?:don\s+vi|to\s+chuc)"
            r"(?:\s*[,\-]\s*(?:va\s+)?(?:don\s+vi|dia\s+phuong|to\s+chuc|ca\s+nhan))*\b",
            rf"\b{_AREA}(?:(?:\s*[,\-]\s*|\s+va\s+)(?:cac\s+)?{_AREA})+",
            r"\bdoan\s+(?:dai\s+bieu\s+quoc\s+hoi|dbqh)\s+va\s+(?:hoi\s+dong\s+nhan\s+dan|hdnd)\b",
        )
    )
)


# ---------------------------------------------------------------- group phrases

_WHOLE_GROUPS = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (
            rf"{_ALL}(?:so\s*[,\-]?\s*(?:ban\s*[,\-]?\s*)?nganh|so\s+chuyen\s+nganh"
            rf"|co\s+quan\s+chuyen\s+mon){_WHERE}",
            GroupCode.PROVINCE_DEPARTMENTS,
        ),
        (
            rf"{_ALL}(?:so|co\s+quan)(?:\s+chuyen\s+(?:nganh|mon))?\s+(?:phu\s+trach|chu\s+tri"
            rf"|quan\s+ly)\s+(?:cac\s+)?linh\s+vuc(?:\s+(?:cchc|cai\s+cach\s+hanh\s+chinh))?{_WHERE}",
            GroupCode.AREA_LEAD_DEPARTMENTS,
        ),
        (
            rf"{_ALL}(?:co\s+quan|don\s+vi)\s+(?:(?:duoc\s+)?to\s+chuc\s+theo\s+nganh\s+doc"
            rf"|nganh\s+doc|trung\s+uong)(?:\s+(?:dong|dat)(?:\s+tren\s+dia\s+ban|\s+tai)?"
            rf"(?:\s+{_PROVINCE})?)?",
            GroupCode.CENTRAL_AGENCIES,
        ),
        (rf"{_ALL}dia\s+phuong{_WHERE}", GroupCode.LOCAL_COMMITTEES),
    )
)
_CONCERNED_WORD = (
    r"(?:co\s+quan|don\s+vi|dia\s+phuong|to\s+chuc|ca\s+nhan|doanh\s+nghiep|so|ban|nganh)"
)
_CONCERNED = re.compile(
    rf"{_ALL}(?:nhung\s+)?(?P<words>{_CONCERNED_WORD}(?:\s*[,\-]?\s*(?:va\s+)?{_CONCERNED_WORD})*)"
    rf"(?:\s+khac)?\s+(?:co\s+)?lien\s+quan(?:\s+khac)?{_WHERE}"
)
_CONCERNED_ONLY = re.compile(r"(?:co\s+)?lien\s+quan")
_PC_START = re.compile(rf"{_ALL}(?P<pc>{_PC}\s*)?(?:cac\s+(?!cap\b))?")
_AREA_TOKEN = re.compile(
    r"(?:\s*[,\-;/]\s*|\s+)?(?:va\s+)?(?P<tok>cac\s+cap|cap\s+huyen|cap\s+xa|thi\s+xa|thi\s+tran"
    r"|dac\s+khu|thanh\s+pho|tp|quan|huyen|xa|phuong)\b"
)
_DISTRICT_TOKENS = frozenset({"cap huyen", "quan", "huyen", "thi xa", "thanh pho", "tp"})
_COMMUNE_TOKENS = frozenset({"cap xa", "xa", "phuong", "thi tran", "dac khu"})
_CITY_TOKENS = frozenset({"thanh pho", "tp"})
_PLACE_TOKENS = (_DISTRICT_TOKENS | _COMMUNE_TOKENS) - {"cap huyen", "cap xa"}

_Found = tuple[list[UnitGroup], list[UnitMention]]
_TRAILING_JOINER = re.compile(r"(?:[\s,;\-\u2013]|\bvà\b)+$", re.IGNORECASE)


def _group(code: GroupCode, text: str, levels: tuple[UnitLevel, ...] | None = None) -> UnitGroup:
    default_levels, every = GROUP_SHAPES[code]
    return UnitGroup(code, text, default_levels if levels is None else levels, every)


def _concerned_levels(words: str) -> tuple[UnitLevel, ...]:
    found = {" ".join(w.split()) for w in re.findall(_CONCERNED_WORD, words)}
    if found <= {"so", "ban", "nganh"}:
        return ("department",)
    if found == {"dia phuong"}:
        return ("district", "commune")
    return ()


def _committee_levels(tokens: Iterable[str]) -> tuple[UnitLevel, ...]:
    names = set(tokens)
    if "cac cap" in names:
        return ("province", "district", "commune")
    levels: list[UnitLevel] = []
    if names & _DISTRICT_TOKENS:
        levels.append("district")
    if names & _COMMUNE_TOKENS:
        levels.append("commune")
    return tuple(levels)


def _committee_groups(text: str, levels: tuple[UnitLevel, ...]) -> list[UnitGroup]:
    if "province" in levels:
        return [_group(GroupCode.ALL_COMMITTEES, text)]
    codes = {"district": GroupCode.DISTRICT_COMMITTEES}
    codes["commune"] = GroupCode.COMMUNE_COMMITTEES
    return [_group(codes[level], text) for level in levels]


def _committees(name: str, shadow: str, offset: int) -> _Found | None:
    """``UBND quận, huyện``, ``UBND cấp huyện, cấp xã``, ``các xã, phường, thị trấn`` …; a name
    after the list (``UBND quận, huyện, thành phố Thủ Đức``) is a unit of its own."""
    start = _PC_START.match(shadow, offset)
    assert start is not None  # every part of the pattern is optional
    plural = re.search(r"\bcac\b", start.group(0)) is not None
    tokens: list[re.Match[str]] = []
    while match := _AREA_TOKEN.match(shadow, tokens[-1].end() if tokens else start.end()):
        tokens.append(match)
    if not tokens:
        return None
    words = [" ".join(t.group("tok").split()) for t in tokens]
    rest = shadow[tokens[-1].end() :].strip(" .,;:-")
    if _CONCERNED_ONLY.fullmatch(rest):
        return [_group(GroupCode.UNITS_CONCERNED, name, _committee_levels(words))], []
    if not rest or re.fullmatch(_WHERE, " " + rest):
        if len(tokens) == 1 and not plural:
            if words[0] in _CITY_TOKENS or not start.group("pc"):
                return None  # "UBND thành phố" is the city's committee; a bare "huyện" is nothing
        return _committee_groups(name, _committee_levels(words)), []
    if len(tokens) < 2 or words[-1] not in _PLACE_TOKENS:
        return None  # "UBND huyện Châu Thành" is one unit
    return _committees_and_unit(name, tokens, words, governed=bool(start.group("pc")))


def _committees_and_unit(
    name: str, tokens: list[re.Match[str]], words: list[str], *, governed: bool
) -> _Found:
    cut = tokens[-1].start("tok")
    group_text = _TRAILING_JOINER.sub("", name[:cut])
    unit_text = name[cut:]
    key = normalize_name(f"UBND {unit_text}" if governed else unit_text)
    groups = _committee_groups(group_text, _committee_levels(words[:-1]))
    return groups, [UnitMention(unit_text, key)]


def _classify(name: str) -> _Found | None:
    """The groups (and units) ``name`` stands for, or None when it names a single unit."""
    shadow = _shadow(name)
    title = _TITLE.match(shadow)
    offset = title.end() if title else 0
    core = shadow[offset:]
    concerned = _CONCERNED.fullmatch(core)
    if concerned:
        levels = _concerned_levels(concerned.group("words"))
        return [_group(GroupCode.UNITS_CONCERNED, name, levels)], []
    for pattern, code in _WHOLE_GROUPS:
        if pattern.fullmatch(core):
            return [_group(code, name)], []
    return _committees(name, shadow, offset)


# ---------------------------------------------------------------- splitting a cell

_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,40}>")
_BULLET = re.compile(r"\s*(?:[-+•·*▪◦►\u2013\u2014]+|\d{1,2}\s*[.)]|[a-zđ]\s*\))\s*")
_LINE_BULLET = re.compile(r"\s*(?:[-+•·*▪◦►\u2013\u2014]|\d{1,2}\s*[.)]\s|[a-zđ]\s*\)\s)")
_CONNECTOR_END = re.compile(r"(?:\b(?:va|cua|thuoc|tai|voi)|[-&(/,])\s*$")
_NUMBERING = re.compile(r"(?<=\s)\d{1,2}\s*[.)]\s+")
_SEMICOLON = re.compile(r";|\n")
_COMMA = re.compile(r",")
_AND = re.compile(r"\s+va\s+")
_PAREN_NOTE = re.compile(r"\(([^()]*)\)")


def _blocked(text: str, shadow: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _PROTECTED.finditer(shadow)]
    depth, opened = 0, 0
    for index, char in enumerate(text):
        if char == "(":
            opened = index if depth == 0 else opened
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, index + 1))
    if depth:
        spans.append((opened, len(text)))
    return spans


def _cut(text: str, separator: re.Pattern[str], accept: Callable[[str], bool]) -> list[str]:
    """``text`` split at the separators outside brackets and protected phrases where ``accept``
    says the words that follow (up to the next separator) start a new item."""
    shadow = _shadow(text)
    blocked = _blocked(text, shadow)
    found = [
        m
        for m in separator.finditer(shadow)
        if not any(start < m.end() and m.start() < end for start, end in blocked)
    ]
    pieces, start = [], 0
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        if accept(text[match.end() : end]):
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _starts_name(following: str) -> bool:
    return _HEAD.match(_shadow(following)) is not None


def _starts_item(following: str) -> bool:
    """After a comma: a new name, or a bare group (``địa phương``, ``quận, huyện``) other than
    the units concerned, whose words list kinds of units (``đơn vị, địa phương có liên quan``)."""
    if _starts_name(following):
        return True
    found = _classify(following.strip())
    if found is None or found[1]:
        return False
    return all(group.code is not GroupCode.UNITS_CONCERNED for group in found[0])


def _starts_after_and(following: str) -> bool:
    return _starts_name(following) or _classify(following.strip()) is not None


def _always(following: str) -> bool:
    return True


def _logical_lines(text: str) -> list[str]:
    """Lines of the cell with soft line wraps joined: a line starts a new item when it starts with
    a bullet or a name and the line before does not end with a connector."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        new = _LINE_BULLET.match(line) is not None or (
            _starts_name(line) and not (lines and _CONNECTOR_END.search(_shadow(lines[-1])))
        )
        if lines and not new:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _strip_bullet(text: str) -> str:
    bullet = _BULLET.match(text)
    return text[bullet.end() :] if bullet else text


def _pieces(text: str) -> list[str]:
    cleaned = _TAG.sub("", unicodedata.normalize("NFC", text)).replace("\r", "\n")
    cleaned = cleaned.replace("\t", " ").replace("\xa0", " ")
    pieces = []
    for line in _logical_lines(cleaned):
        for item in _cut(_strip_bullet(line), _NUMBERING, _starts_name):
            for segment in _cut(_strip_bullet(item), _SEMICOLON, _always):
                for part in _cut(segment, _COMMA, _starts_item):
                    pieces.extend(_cut(part, _AND, _starts_after_and))
    return pieces


def _take_note(piece: str) -> tuple[str, str | None]:
    notes = [" ".join(m.group(1).split()) for m in _PAREN_NOTE.finditer(piece)]
    name = " ".join(_PAREN_NOTE.sub(" ", piece).split()).strip(" .,;:-/\u2013")
    return name, "; ".join(note for note in notes if note) or None


def _mention(name: str, note: str | None) -> UnitMention:
    title = _TITLE.match(_shadow(name))
    return UnitMention(name, normalize_name(name[title.end() :] if title else name), note)


def parse_unit_cell(text: str) -> UnitCell:
    """The units and groups of units a lead or coordinating cell names, in order, each once."""
    mentions: dict[str, UnitMention] = {}
    groups: dict[GroupCode, UnitGroup] = {}
    for piece in _pieces(text):
        name, note = _take_note(piece)
        found = _classify(name) if name else None
        if found is None:
            mention = _mention(name, note)
            if mention.normalized:
                mentions.setdefault(mention.normalized, mention)
            continue
        for group in found[0]:
            groups.setdefault(group.code, replace(group, note=note))
        for unit in found[1]:
            mentions.setdefault(unit.normalized, unit)
    return UnitCell(text, tuple(mentions.values()), tuple(groups.values()))
