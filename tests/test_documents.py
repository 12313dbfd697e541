"""Reading documents: headers, encodings and every kind of bad input."""

from __future__ import annotations

import os
from datetime import date

import pytest

from counterclaim.documents import (
    find_inputs,
    iter_documents,
    parse_header,
    read_document,
    read_text_input,
)
from counterclaim.errors import InputError
from counterclaim.models import Document


@pytest.mark.parametrize(
    "text, meta, body_start",
    [
        ("date: 2024-02-16\nBody.", {"published": "2024-02-16"}, "Body."),
        (" date 2024-02-16 MOSCOW, February 16. /TASS/.", {"published": "2024-02-16"}, "MOSCOW"),
        ("DATE: 2024-02-16\nOutlet: TASS\nBody", {"published": "2024-02-16", "outlet": "TASS"}, "Body"),
        ("published: 2024-02-16T09:30:00Z\nBody", {"published": "2024-02-16"}, "Body"),
        ("date: 2024-02-16\r\nurl: https://x.org/a\r\nBody", {"published": "2024-02-16", "url": "https://x.org/a"},
         "Body"),
        ("title: Kupiansk holds\noutlet: Ukrinform\n\nText",
         {"title": "Kupiansk holds", "outlet": "Ukrinform"}, "\nText"),
        ("Date of the attack is unclear.", {}, "Date of"),
        ("Outlet reporters said", {}, "Outlet"),
        ("KYIV, March 7 (Reuters) - ...", {}, "KYIV"),
        ("Body first\ndate: 2024-02-16", {}, "Body"),
    ],
)
def test_parse_header(text, meta, body_start):
    found, pos = parse_header(text)
    assert found == meta
    assert text[pos:].startswith(body_start)


def test_header_fills_document_and_text_is_unchanged(tmp_path):
    text = "date: 2025-03-03\noutlet: TASS\nurl: https://tass.com/1\ntitle: Liberated\n\nMOSCOW, March 3.\n"
    f = tmp_path / "a.txt"
    f.write_text(text, encoding="utf-8")
    doc = read_document(f)
    assert doc.text == text
    assert doc.id == Document.content_id(text)
    assert (doc.published, doc.outlet, doc.url, doc.title) == (
        date(2025, 3, 3), "TASS", "https://tass.com/1", "Liberated")


def test_arguments_override_header():
    doc = read_text_input(b"date: 2025-03-03\noutlet: TASS\nText", "x", published="2025-01-02", outlet="RIA")
    assert doc.published == date(2025, 1, 2)
    assert doc.outlet == "RIA"


def test_no_header():
    doc = read_text_input(b"Fighting near Kupiansk.", "x")
    assert doc.published is None and doc.outlet is None and doc.text == "Fighting near Kupiansk."


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbfdate: 2024-02-16\nKupiansk")
    doc = read_document(f)
    assert doc.published == date(2024, 2, 16)
    assert doc.text == "date: 2024-02-16\nKupiansk"


def test_cyrillic_text(tmp_path):
    f = tmp_path / "ru.txt"
    f.write_text("date: 2024-02-16\nВ Купянске идут бои.", encoding="utf-8")
    assert "Купянске" in read_document(f).text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\t\r\n  ", "whitespace"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 20, "binary"),
        ("Fighting near Kupiansk, caf\u00e9 ".encode("latin-1") + b"and more text " * 20, "not valid UTF-8"),
        (b"date: 2024-13-45\nText", "invalid date"),
        (b"date: yesterday\nText", "not a date"),
    ],
)
def test_bad_input_bytes(tmp_path, data, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_document(f)
    assert reason in e.value.reason
    assert e.value.item == str(f)
    assert str(f) in str(e.value)


def test_invalid_utf8_names_the_byte_offset():
    data = b"Kupiansk is under control. " * 3 + b"\xe9t\xe9 " + b"more text" * 10
    with pytest.raises(InputError) as e:
        read_text_input(data, "latin.txt")
    assert "offset 81" in e.value.reason
    assert "0xe9" in e.value.reason


def test_huge_file_is_refused_with_the_sizes_and_the_option(tmp_path):
    f = tmp_path / "huge.txt"
    line = b"Fighting continues near Kupiansk, the General Staff said.\n"
    with f.open("wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    size = f.stat().st_size
    assert size > 50_000_000
    with pytest.raises(InputError) as e:
        read_document(f)
    assert f"{size:,}" in e.value.reason
    assert "20,000,000" in e.value.reason
    assert "--max-bytes" in e.value.reason


def test_limit_can_be_raised_and_lowered(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 100)
    assert read_document(f, max_bytes=100).text == "x" * 100
    with pytest.raises(InputError, match="100 bytes, over the limit of 99"):
        read_document(f, max_bytes=99)
    with pytest.raises(InputError, match="over the limit"):
        read_text_input(b"x" * 100, "stdin", max_bytes=10)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")


def test_directory_is_not_a_document(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text("Kupiansk")
    f.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_document(f)


def test_find_inputs_sorted_txt_only(tmp_path):
    for name in ("b.txt", "a.txt", "c.json", "d.md"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in find_inputs(tmp_path)] == ["a.txt", "b.txt"]
    assert find_inputs(tmp_path / "c.json") == [tmp_path / "c.json"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no \.txt files"):
        find_inputs(tmp_path / "empty")
    with pytest.raises(InputError, match="no such file or directory"):
        find_inputs(tmp_path / "missing")


def test_iter_documents_never_stops(tmp_path):
    (tmp_path / "a.txt").write_text("Kupiansk")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("Lyman")
    out = list(iter_documents(sorted(tmp_path.glob("*.txt"))))
    assert [type(x).__name__ for _, x in out] == ["Document", "InputError", "Document"]
