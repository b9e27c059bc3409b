"""shared.uploads: every refusal of the one upload checker, on files the tests build."""

from __future__ import annotations

import io
import zipfile

import pytest

from shared.uploads import (
    CFB_MAGIC,
    CSV,
    DOCX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    XLSX,
    FileEmpty,
    FileEncoding,
    FileEncrypted,
    FileTooLarge,
    FileTooLargeUncompressed,
    FileTypeError,
    FileTypeMismatch,
    FileUnreadable,
    UploadLimits,
    check_upload,
    clean_filename,
)

TABLES = (XLSX, CSV, DOCX)
EVIDENCE = (PDF, PNG, JPEG, DOCX, XLSX, TEXT)
PDF_BYTES = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def package(parts: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def workbook(extra: dict[str, bytes] | None = None, *, workbook_xml: bytes | None = None) -> bytes:
    return package(
        {
            "[Content_Types].xml": PROLOG + b"<Types/>",
            "xl/workbook.xml": workbook_xml or PROLOG + b"<workbook " + NS + b"/>",
            **(extra or {}),
        }
    )


class TestKinds:
    @pytest.mark.parametrize(
        ("data", "name", "kind"),
        [
            (workbook(), "bang.xlsx", XLSX),
            (workbook(), "bang", XLSX),  # no extension: the bytes decide
            (
                package({"[Content_Types].xml": b"<T/>", "word/document.xml": b"<d/>"}),
                "a.docx",
                DOCX,
            ),
            ("STT,Nội dung\n1,Rà soát\n".encode(), "bang.csv", CSV),
            ("\ufeffSTT;Nội dung\n".encode(), "bang.txt", CSV),
        ],
    )
    def test_tables(self, data, name, kind):
        assert check_upload(data, name, TABLES) is kind

    @pytest.mark.parametrize(
        ("data", "name", "kind"),
        [
            (PDF_BYTES, "Kế hoạch.PDF", PDF),
            (b"\x89PNG\r\n\x1a\n" + bytes(16), "anh.png", PNG),
            (b"\xff\xd8\xff\xe0" + bytes(16), "anh.jpeg", JPEG),
            ("Đã tổ chức hội nghị\n".encode(), "ghi-chu.md", TEXT),
            (PDF_BYTES, "khong-duoi", PDF),
        ],
    )
    def test_evidence(self, data, name, kind):
        assert check_upload(data, name, EVIDENCE) is kind

    def test_a_file_object_is_left_at_its_start(self):
        file = io.BytesIO(workbook())
        assert check_upload(file, "a.xlsx", TABLES) is XLSX
        assert file.tell() == 0


class TestTypes:
    @pytest.mark.parametrize(
        ("data", "name"),
        [
            (PDF_BYTES, "bang.xlsx"),  # a PDF named .xlsx
            (b"STT,Noi dung\n1,x\n", "bang.xlsx"),  # text named .xlsx
            (workbook(), "bang.csv"),  # a workbook named .csv
            (workbook(), "bang.docx"),
            (package({"readme.txt": b"hello"}), "bang.xlsx"),  # a ZIP without Office parts
            ("STT,Nội dung".encode("utf-16"), "bang.csv"),  # UTF-16 has NUL bytes
            (b"GIF89a\x01\x00\x01\x00", "bang.csv"),
        ],
    )
    def test_content_contradicting_the_name(self, data, name):
        with pytest.raises(FileTypeMismatch) as raised:
            check_upload(data, name, TABLES)
        assert (raised.value.code, raised.value.status) == ("file_type_mismatch", 415)

    @pytest.mark.parametrize(
        ("data", "name"),
        [
            (PDF_BYTES, "ke-hoach.pdf"),
            (PDF_BYTES, "khong-duoi"),
            (b"MZ\x90\x00" + bytes(60), "setup.exe"),
        ],
    )
    def test_kinds_not_accepted(self, data, name):
        with pytest.raises(FileTypeError) as raised:
            check_upload(data, name, TABLES)
        assert (raised.value.code, raised.value.status) == ("unsupported_file_type", 415)

    @pytest.mark.parametrize(
        "data",
        [
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            b'  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            b"ghi chu\x1b[31m",
            "Báo cáo".encode("latin-1"),
        ],
    )
    def test_served_text_must_be_clean(self, data):
        with pytest.raises(FileTypeError) as raised:
            check_upload(data, "ghi-chu.txt", EVIDENCE)
        assert raised.value.code == "unsupported_file_type"

    def test_a_csv_not_in_utf8(self):
        with pytest.raises(FileEncoding):
            check_upload("STT,Nôi dung\n".encode("latin-1"), "bang.csv", TABLES)

    def test_the_extension_of_served_text(self):
        with pytest.raises(FileTypeMismatch):
            check_upload(b"#!/bin/sh\nrm -rf /\n", "script.sh", EVIDENCE)


class TestSizes:
    def test_size_limit(self):
        limits = UploadLimits(max_bytes=100)
        assert check_upload(b"a,b\n" * 25, "a.csv", TABLES, limits) is CSV
        with pytest.raises(FileTooLarge) as raised:
            check_upload(b"a,b\n" * 26, "a.csv", TABLES, limits)
        assert (raised.value.status, raised.value.extra["max_bytes"]) == (413, 100)

    @pytest.mark.parametrize("data", [b"", b" \r\n\t "])
    def test_empty(self, data):
        with pytest.raises(FileEmpty):
            check_upload(data, "a.xlsx", TABLES)


class TestZipBombs:
    def test_declared_size(self):
        """A workbook whose central directory claims a 4 GB part."""
        data = bytearray(workbook())
        directory = data.find(b"PK\x01\x02")
        data[directory + 24 : directory + 28] = (0xFFFFFFF0).to_bytes(4, "little")
        with pytest.raises(FileTooLargeUncompressed):
            check_upload(bytes(data), "a.xlsx", TABLES)

    def test_compression_ratio(self):
        bomb = workbook({"xl/worksheets/sheet1.xml": bytes(8 * 1024 * 1024)})
        assert len(bomb) < 100_000
        with pytest.raises(FileTooLargeUncompressed):
            check_upload(bomb, "a.xlsx", TABLES)

    def test_total_size(self):
        chunk = bytes(range(256)) * 4096 * 4  # 4 MB that barely compresses
        bomb = workbook({f"xl/media/{n}.bin": chunk for n in range(11)})
        with pytest.raises(FileTooLargeUncompressed):
            check_upload(bomb, "a.xlsx", TABLES, UploadLimits(max_bytes=100 * 1024 * 1024))

    def test_many_entries(self):
        many = workbook({f"xl/media/{n}.bin": b"" for n in range(1_000)})
        with pytest.raises(FileTooLargeUncompressed):
            check_upload(many, "a.xlsx", TABLES)
        assert check_upload(many, "a.xlsx", TABLES, UploadLimits(max_zip_entries=1_002)) is XLSX


class TestEncryption:
    def test_encrypted_office_file(self):
        ole = CFB_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(64)
        with pytest.raises(FileEncrypted):
            check_upload(ole, "a.xlsx", TABLES)

    def test_legacy_office_file(self):
        ole = CFB_MAGIC + bytes(504) + "Workbook".encode("utf-16-le")
        with pytest.raises(FileTypeMismatch):
            check_upload(ole, "a.xlsx", TABLES)
        with pytest.raises(FileTypeError):
            check_upload(ole, "bang-cu.xls", EVIDENCE)

    def test_encrypted_zip_entry(self):
        data = bytearray(workbook())
        directory = data.find(b"PK\x01\x02")
        data[directory + 8] |= 0x1  # the "encrypted" flag of the first entry
        with pytest.raises(FileEncrypted):
            check_upload(bytes(data), "a.xlsx", TABLES)


class TestPackageContents:
    @pytest.mark.parametrize("name", ["../evil.xml", "/etc/cron.d/x", "xl\\..\\..\\x", "C:/x"])
    def test_paths_leaving_the_archive(self, name):
        with pytest.raises(FileUnreadable):
            check_upload(workbook({name: b"<x/>"}), "a.xlsx", TABLES)

    def test_repeated_paths(self):
        buffer = io.BytesIO(workbook())
        with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("xl/workbook.xml", b"<workbook/>")
        with pytest.raises(FileUnreadable):
            check_upload(buffer.getvalue(), "a.xlsx", TABLES)

    @pytest.mark.parametrize(
        "xml",
        [
            PROLOG + b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><workbook/>',
            PROLOG + b'<!DOCTYPE d [<!ENTITY a "aa"><!ENTITY b "&a;&a;&a;">]><workbook/>',
            PROLOG + b"<!-- <workbook> --><!DOCTYPE workbook><workbook/>",  # a comment first
            PROLOG + b"<?pi <workbook/> ?>\n<!doctype workbook><workbook/>",
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w><w/>'.encode("utf-16"),
            PROLOG + b" " * 100_000 + b"<!DOCTYPE w><w/>",  # past any fixed prefix
        ],
        ids=["external", "expansion", "after_comment", "after_pi", "utf16", "late"],
    )
    def test_a_dtd_however_it_is_written(self, xml):
        with pytest.raises(FileUnreadable):
            check_upload(workbook(workbook_xml=xml), "a.xlsx", TABLES)

    def test_a_part_that_is_not_xml(self):
        with pytest.raises(FileUnreadable):
            check_upload(workbook(workbook_xml=b"not xml at all"), "a.xlsx", TABLES)

    def test_a_corrupt_zip(self):
        data = workbook()
        with pytest.raises(FileUnreadable):
            check_upload(data[: len(data) // 2], "a.xlsx", TABLES)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('a"b;\r\nX-Evil: 1.pdf', 'a"b;X-Evil: 1.pdf'),
        ("C:\\Users\\x\\bao-cao.pdf", "bao-cao.pdf"),
        ("../..", "file"),
        ("", "file"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # shown as "invoiceexe.pdf"
        ("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069a\u200e\u200f\u061cb.pdf", "ab.pdf"),
        ("\u202e", "file"),
        ("Báo cáo عربي.pdf", "Báo cáo عربي.pdf"),  # right-to-left letters themselves stay
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean
