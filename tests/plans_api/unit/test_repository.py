"""The helpers other modules use, on the July 2025 reorganisation (see ``reorganisation``)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select, update

from plans_api.task.unit_text import parse_unit_cell
from plans_api.unit import repository
from plans_api.unit.models import Unit, UnitSuccession
from shared.auth.tokens import Principal
from tests.factories import make_unit

UNITS = "/api/plans/v1/units"
OLD, NEW, LATER = date(2025, 6, 30), date(2025, 7, 1), date(2026, 1, 1)


@pytest.fixture
async def session(plans_app, plans_client):
    async with plans_app.state.sessionmaker() as session:
        yield session


class TestSubtree:
    async def test_all_dates_or_one_day(self, session, reorg):
        every = await repository.subtree_ids(session, reorg["can_tho"])
        before = await repository.subtree_ids(session, reorg["can_tho"], OLD)
        after = await repository.subtree_ids(session, reorg["hcm"], NEW)

        assert set(every) == {
            reorg[k]
            for k in ("can_tho", "snv_can_tho", "phong_dien_district", "phong_dien_commune")
        }
        assert set(before) == {reorg["can_tho"], reorg["snv_can_tho"], reorg["phong_dien_district"]}
        assert set(after) == {reorg["hcm"], reorg["sai_gon"]}

    async def test_a_valid_unit_under_a_retired_one_stays_in(self, session, reorg):
        assert set(await repository.subtree_ids(session, reorg["quan_1"], OLD)) == {
            reorg["quan_1"],
            reorg["ben_nghe"],
        }
        assert await repository.subtree_ids(session, reorg["quan_1"], NEW) == []
        assert await repository.subtree_ids(session, uuid.uuid4()) == []


class TestRollUp:
    async def test_the_retired_province_rolls_up_to_the_city(self, session, reorg):
        assert await repository.roll_up(session, reorg["soc_trang"], LATER) == [reorg["can_tho"]]
        assert await repository.roll_up(session, reorg["soc_trang"], OLD) == [reorg["soc_trang"]]
        assert await repository.roll_up(session, reorg["snv_soc_trang"], LATER) == [
            reorg["snv_can_tho"]
        ]
        assert await repository.roll_up(session, reorg["can_tho"], OLD) == [reorg["can_tho"]]

    async def test_nothing_to_roll_up_to(self, session, reorg):
        assert await repository.roll_up(session, reorg["quan_1"], LATER) == []  # abolished
        assert await repository.roll_up(session, reorg["sai_gon"], OLD) == []  # not yet
        assert await repository.roll_up(session, uuid.uuid4(), LATER) == []

    async def test_chains_end_even_on_a_cycle(self, plans_app, session):
        a, b, c = [await make_unit(plans_app, name=name, level="commune") for name in "ABC"]
        async with plans_app.state.sessionmaker() as writer, writer.begin():
            for unit, last_day in ((a, date(2025, 6, 30)), (b, date(2025, 12, 31))):
                await writer.execute(
                    update(Unit).where(Unit.id == unit.id).values(valid_to=last_day)
                )
            writer.add_all(
                UnitSuccession(predecessor_id=p.id, successor_id=s.id, kind="merge", effective_on=d)
                for p, s, d in ((a, b, NEW), (b, c, LATER), (b, a, LATER))  # a bad loop back
            )
        assert await repository.roll_up(session, a.id, date(2025, 8, 1)) == [b.id]
        assert await repository.roll_up(session, a.id, date(2026, 2, 1)) == [c.id]


class TestProvince:
    async def test_units_of_some_levels_on_a_day(self, session, reorg):
        departments = await repository.units_in_province(
            session, reorg["can_tho"], ["department"], NEW
        )
        local_before = await repository.units_in_province(
            session, reorg["can_tho"], ["district", "commune"], OLD
        )
        local_after = await repository.units_in_province(
            session, reorg["can_tho"], ("district", "commune"), NEW
        )
        everything = await repository.units_in_province(session, reorg["can_tho"], [], NEW)
        ever = await repository.units_in_province(session, reorg["can_tho"], ["commune"], None)

        assert departments == [reorg["snv_can_tho"]]
        assert local_before == [reorg["phong_dien_district"]]
        assert local_after == [reorg["phong_dien_commune"]]
        assert set(everything) == {
            reorg["can_tho"],
            reorg["snv_can_tho"],
            reorg["phong_dien_commune"],
        }
        assert ever == [reorg["phong_dien_commune"]]

    async def test_province_of(self, session, reorg):
        assert await repository.province_of(session, reorg["snv_soc_trang"]) == reorg["soc_trang"]
        assert await repository.province_of(session, reorg["ben_nghe"]) == reorg["hcm"]
        assert await repository.province_of(session, reorg["hcm"]) == reorg["hcm"]
        assert await repository.province_of(session, uuid.uuid4()) is None


class TestUnitScope:
    async def test_confines_a_unit_officer_to_their_subtree(self, session, reorg):
        officer = Principal(subject="u", kind="user", roles=frozenset({"unit_officer"}))
        scoped = Principal(
            subject="u", kind="user", roles=frozenset({"unit_officer"}), unit_id=reorg["quan_1"]
        )
        viewer = Principal(subject="v", kind="user", roles=frozenset({"viewer"}))

        async def visible(principal: Principal) -> set[uuid.UUID]:
            clause = repository.unit_scope(principal)
            query = select(Unit.id) if clause is None else select(Unit.id).where(clause)
            return set((await session.scalars(query)).all())

        assert await visible(scoped) == {reorg["quan_1"], reorg["ben_nghe"]}
        assert await visible(officer) == set()
        assert len(await visible(viewer)) == 11


class TestMatchUnitNames:
    async def test_names_of_cells_before_and_after(self, plans_client, admin, session, reorg):
        await plans_client.patch(
            f"{UNITS}/{reorg['snv_can_tho']}", headers=admin, json={"short_name": "SNV"}
        )
        names = [
            "UBND huyện Phong Điền",
            "Ủy ban nhân dân xã Phong Điền",
            "SỞ NỘI VỤ",
            "Sở Nội vụ TP. Cần Thơ",
            "snv",
            "UBND thành phố",
            "Thành phố Cần Thơ",
            "Sở Tư pháp",
        ]
        before = await repository.match_unit_names(session, reorg["can_tho"], names, OLD)
        after = await repository.match_unit_names(session, reorg["can_tho"], names, NEW)

        assert before == {
            "UBND huyện Phong Điền": reorg["phong_dien_district"],
            "Ủy ban nhân dân xã Phong Điền": None,
            "SỞ NỘI VỤ": reorg["snv_can_tho"],
            "Sở Nội vụ TP. Cần Thơ": reorg["snv_can_tho"],
            "snv": reorg["snv_can_tho"],
            "UBND thành phố": reorg["can_tho"],
            "Thành phố Cần Thơ": reorg["can_tho"],
            "Sở Tư pháp": None,
        }
        assert after["Ủy ban nhân dân xã Phong Điền"] == reorg["phong_dien_commune"]
        assert after["UBND huyện Phong Điền"] is None
        assert before.misses["Sở Tư pháp"].code == "unknown"
        assert after.misses["Sở Tư pháp"].message_en == "No unit of the province has this name"

    async def test_only_units_of_the_province(self, session, reorg):
        found = await repository.match_unit_names(
            session,
            reorg["soc_trang"],
            ["Sở Nội vụ", "Sở Nội vụ tỉnh Sóc Trăng", "Phường Bến Nghé"],
            OLD,
        )
        assert found["Sở Nội vụ"] == reorg["snv_soc_trang"]
        assert found["Sở Nội vụ tỉnh Sóc Trăng"] == reorg["snv_soc_trang"]
        assert found["Phường Bến Nghé"] is None

    async def test_ambiguous_names(self, plans_app, session):
        province = await make_unit(plans_app, name="Tỉnh Sóc Trăng", level="province")
        await make_unit(plans_app, name="Thành phố Sóc Trăng", level="district", parent=province)
        await make_unit(plans_app, name="Huyện Châu Thành", level="district", parent=province)
        found = await repository.match_unit_names(
            session,
            province.id,
            ["Sóc Trăng", "UBND TP Sóc Trăng", "Châu Thành", "UBND tỉnh"],
            None,
        )
        assert found["Sóc Trăng"] is None
        miss = found.misses["Sóc Trăng"]
        assert miss.code == "ambiguous"
        assert miss.candidates == ("Thành phố Sóc Trăng", "Tỉnh Sóc Trăng")
        assert "Thành phố Sóc Trăng" in miss.message_vi
        assert found["UBND TP Sóc Trăng"] is not None and found["UBND TP Sóc Trăng"] != province.id
        assert found["Châu Thành"] is not None
        assert found["UBND tỉnh"] == province.id

    async def test_with_the_mentions_of_a_parsed_cell(self, session, reorg):
        cell = parse_unit_cell("- Sở Nội vụ thành phố Cần Thơ;\n- UBND huyện Phong Điền")
        keys = [mention.normalized for mention in cell.mentions]
        found = await repository.match_unit_names(session, reorg["can_tho"], keys, OLD)
        assert list(found.values()) == [reorg["snv_can_tho"], reorg["phong_dien_district"]]
