from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from plans_api.file.service import content_disposition
from tests.factories import bearer, token_for
from tests.plans_api.file import samples
from tests.plans_api.file.samples import API, upload
from tests.plans_api.hostile import with_hidden_dtd
from tests.plans_api.plan.world import World, make_world


@pytest.fixture
def folder(plans_app, tmp_path) -> Iterator[Path]:
    with samples.files_in(plans_app, tmp_path / "files") as path:
        yield path


@pytest.fixture
async def world(plans_app, plans_client, folder) -> World:
    return await make_world(plans_app)


def stored_blobs(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


class TestUpload:
    @pytest.mark.parametrize(
        ("name", "make", "content_type"),
        [
            ("Kế hoạch 57.pdf", samples.pdf, samples.PDF_TYPE),
            ("anh-chup.png", samples.png, "image/png"),
            ("hop-trien-khai.JPG", samples.jpeg, "image/jpeg"),
            ("anh.jpeg", samples.jpeg, "image/jpeg"),
            ("Báo cáo.docx", samples.docx_bytes, samples.DOCX_TYPE),
            ("so-lieu.xlsx", samples.xlsx_bytes, samples.XLSX_TYPE),
            ("ghi-chu.txt", lambda: "Đã tổ chức hội nghị\n".encode(), "text/plain; charset=utf-8"),
            ("khong-duoi", samples.pdf, samples.PDF_TYPE),  # no extension: nothing contradicts
        ],
    )
    async def test_allowed_types(self, plans_client, world, folder, name, make, content_type):
        data = make()
        # The client's content type is ignored: the bytes decide.
        response = await upload(plans_client, world.officer(world.noi_vu), name, data, "text/html")

        assert response.status_code == 201, response.text
        body = response.json()
        assert set(body) == {"id", "name", "size", "sha256", "content_type"}
        assert (body["name"], body["size"], body["content_type"]) == (name, len(data), content_type)
        [blob] = stored_blobs(folder)
        assert blob.read_bytes() == data
        assert blob.name == body["sha256"]  # named by content, never by the client

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("setup.exe", samples.EXE),
            ("trang.html", samples.HTML),
            ("trang.txt", samples.HTML),  # markup named as text is still markup
            ("logo.svg", samples.SVG),
            ("bang-cu.xls", samples.OLE),
            ("van-ban.doc", samples.OLE),
            ("nen.zip", samples.plain_zip()),
            ("anh.gif", samples.GIF),
            ("nhi-phan.bin", b"\x00\x01\x02binary"),
            ("latin1.txt", "Báo cáo".encode("latin-1")),
        ],
    )
    async def test_refused_types(self, plans_client, world, folder, name, data):
        response = await upload(plans_client, world.officer(world.noi_vu), name, data)

        assert response.status_code == 415, response.text
        assert response.json()["code"] == "unsupported_file_type"
        assert stored_blobs(folder) == []

    @pytest.mark.parametrize(
        ("name", "make"),
        [
            ("bao-cao.png", samples.pdf),
            ("bao-cao.pdf", lambda: b"just text\n"),
            ("bang.xlsx", samples.docx_bytes),
            ("van-ban.docx", samples.xlsx_bytes),
            ("script.sh", lambda: b"#!/bin/sh\nrm -rf /\n"),
            ("anh.exe", samples.png),
        ],
    )
    async def test_extension_contradicting_content(self, plans_client, world, folder, name, make):
        response = await upload(plans_client, world.officer(world.noi_vu), name, make())

        assert response.status_code == 415, response.text
        assert response.json()["code"] == "file_type_mismatch"
        assert stored_blobs(folder) == []

    async def test_password_protected_office_file(self, plans_client, world, folder):
        encrypted = samples.OLE + "EncryptionInfo".encode("utf-16-le")
        response = await upload(plans_client, world.officer(world.noi_vu), "mat.docx", encrypted)

        assert (response.status_code, response.json()["code"]) == (422, "file_encrypted")
        assert stored_blobs(folder) == []

    async def test_empty_file(self, plans_client, world):
        response = await upload(plans_client, world.officer(world.noi_vu), "rong.txt", b"")

        assert (response.status_code, response.json()["code"]) == (422, "file_empty")

    async def test_size_limit(self, plans_app, plans_client, world, tmp_path):
        data = samples.pdf() + b"%" * 2048
        with samples.files_in(plans_app, tmp_path / "small", max_bytes=len(data) - 1):
            too_big = await upload(plans_client, world.officer(world.noi_vu), "lon.pdf", data)
        with samples.files_in(plans_app, tmp_path / "exact", max_bytes=len(data)):
            exact = await upload(plans_client, world.officer(world.noi_vu), "vua.pdf", data)

        assert (too_big.status_code, too_big.json()["code"]) == (413, "file_too_large")
        assert not (tmp_path / "small").exists()
        assert exact.status_code == 201, exact.text

    @pytest.mark.parametrize("role", ["viewer", "learner"])
    async def test_readers_cannot_upload(self, plans_app, plans_client, world, role):
        headers = bearer(token_for(plans_app, roles=[role], unit_id=world.noi_vu.id))
        response = await upload(plans_client, headers, "a.pdf", samples.pdf())

        assert response.status_code == 403

    async def test_officer_without_unit_cannot_upload(self, plans_app, plans_client, world):
        headers = bearer(token_for(plans_app, roles=["unit_officer"]))
        response = await upload(plans_client, headers, "a.pdf", samples.pdf())

        assert (response.status_code, response.json()["code"]) == (403, "unit_required")

    async def test_anonymous(self, plans_client, world):
        response = await upload(plans_client, {}, "a.pdf", samples.pdf())

        assert response.status_code == 401

    async def test_same_bytes_stored_once(self, plans_client, world, folder):
        data = samples.pdf()
        first = await upload(plans_client, world.officer(world.noi_vu), "a.pdf", data)
        second = await upload(plans_client, world.officer(world.tu_phap), "b.pdf", data)
        other = await upload(plans_client, world.officer(world.noi_vu), "c.pdf", samples.pdf("x"))

        assert first.json()["id"] != second.json()["id"]
        assert first.json()["sha256"] == second.json()["sha256"]
        assert len(stored_blobs(folder)) == 2
        for response in (first, second):
            download = await plans_client.get(
                f"{API}/files/{response.json()['id']}", headers=world.admin()
            )
            assert download.content == data
        assert other.json()["sha256"] != first.json()["sha256"]

    async def test_name_is_nfc_without_folders(self, plans_client, world, folder):
        raw = "..\\..\\etc/" + unicodedata.normalize("NFD", "Báo cáo quý 1.pdf")
        response = await upload(plans_client, world.officer(world.noi_vu), raw, samples.pdf())

        assert response.status_code == 201, response.text
        assert response.json()["name"] == unicodedata.normalize("NFC", "Báo cáo quý 1.pdf")
        assert [p.name for p in stored_blobs(folder)] == [response.json()["sha256"]]

    @pytest.mark.parametrize(
        ("name", "make", "part"),
        [
            ("a.docx", samples.docx_bytes, "word/document.xml"),
            ("a.xlsx", samples.xlsx_bytes, "xl/workbook.xml"),
        ],
    )
    async def test_a_dtd_behind_a_comment_is_refused(
        self, plans_client, world, folder, name, make, part
    ):
        content = with_hidden_dtd(make(), part)
        response = await upload(plans_client, world.officer(world.noi_vu), name, content)

        assert response.status_code == 422, response.text
        assert response.json()["code"] == "file_unreadable"
        assert stored_blobs(folder) == []

    async def test_name_loses_bidirectional_controls(self, plans_client, world, folder):
        # Shown as "hoa-donexe.pdf" by a right-to-left override; stored as what it is.
        raw = "hoa-don\u202eexe.pdf\u2066\u200f"
        response = await upload(plans_client, world.officer(world.noi_vu), raw, samples.pdf())

        assert response.status_code == 201, response.text
        assert response.json()["name"] == "hoa-donexe.pdf"


def test_content_disposition_has_no_header_breaking_characters():
    header = content_disposition('Đơn "x"; y.pdf')

    assert header == (
        'attachment; filename="Don _x__ y.pdf"; '
        "filename*=UTF-8''%C4%90%C6%A1n%20%22x%22%3B%20y.pdf"
    )


class TestDownload:
    async def test_headers_and_bytes(self, plans_client, world):
        name = "Báo cáo quý 1; 'bản cuối'.pdf"
        data = samples.pdf()
        created = (await upload(plans_client, world.officer(world.noi_vu), name, data)).json()

        response = await plans_client.get(
            f"{API}/files/{created['id']}", headers=world.officer(world.noi_vu)
        )

        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == samples.PDF_TYPE
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"] == (
            'attachment; filename="Bao cao quy 1_ _ban cuoi_.pdf"; '
            "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201%3B%20%27b%E1%BA%A3n%20cu%E1%BB%91i%27.pdf"
        )
        assert created["name"] == name

    async def test_text_is_served_as_plain_text(self, plans_client, world):
        created = (
            await upload(plans_client, world.officer(world.noi_vu), "a.txt", "Đã xong\n".encode())
        ).json()

        response = await plans_client.get(f"{API}/files/{created['id']}", headers=world.viewer())

        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == "Đã xong\n"

    async def test_scoped_to_the_uploaders_subtree(self, plans_app, plans_client, world):
        created = (
            await upload(plans_client, world.officer(world.office), "a.pdf", samples.pdf())
        ).json()
        url = f"{API}/files/{created['id']}"
        system_admin = bearer(token_for(plans_app, roles=["system_admin"]))

        for headers in (
            world.officer(world.office),
            world.officer(world.noi_vu),  # the parent unit sees its subtree
            world.admin(),
            system_admin,
            world.viewer(),
        ):
            assert (await plans_client.get(url, headers=headers)).status_code == 200

        for headers in (world.officer(world.tu_phap), world.officer(world.hcm_noi_vu)):
            response = await plans_client.get(url, headers=headers)
            assert (response.status_code, response.json()["code"]) == (404, "file_not_found")

        sibling = (
            await upload(plans_client, world.officer(world.noi_vu), "b.pdf", samples.pdf("b"))
        ).json()
        response = await plans_client.get(
            f"{API}/files/{sibling['id']}", headers=world.officer(world.office)
        )
        assert response.status_code == 404  # a child unit does not see its parent's files

    async def test_unknown_id(self, plans_client, world):
        response = await plans_client.get(
            f"{API}/files/00000000-0000-0000-0000-000000000000", headers=world.admin()
        )

        assert (response.status_code, response.json()["code"]) == (404, "file_not_found")
