"""What a file is, read from its bytes: image signatures, text, JSON, programs refused."""

import pytest

from studies.services import InvalidInput
from studies.services.artifacts import sniff

WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 "


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("a.png", b"\x89PNG\r\n\x1a\n....", "image/png"), ("a.jpeg", b"\xff\xd8\xff\xe0", "image/jpeg"),
    ("a.gif", b"GIF89a..", "image/gif"), ("a.webp", WEBP, "image/webp"), ("a.pdf", b"%PDF-1.4", "application/pdf"),
    ("no-extension", b"\x89PNG\r\n\x1a\n", "image/png"), ("a.log", b"text", "text/plain"),
    ("a.svg", b"<svg onload=alert(1)>", "text/plain"), ("a.html", b"<html>", "text/plain"),
])
def test_the_kind_comes_from_the_first_bytes(name, head, kind):
    assert sniff(name, head, is_utf8=not head.startswith((b"\x89", b"\xff", b"RIFF"))) == kind


@pytest.mark.parametrize("head", [b"\x7fELF\x02", b"MZ\x90\x00", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe",
                                  b"#!/usr/bin/env python\n"])
def test_a_program_is_refused_whatever_its_name(head):
    with pytest.raises(InvalidInput) as raised:
        sniff("model.bin", head, is_utf8=False)

    assert raised.value.errors == {"file": ["this file is a program; programs cannot be attached to a trial"]}


@pytest.mark.parametrize(("name", "head", "message"), [
    ("a.png", b"\xff\xd8\xff\xe0", "this file is not a PNG image: its contents are a JPEG image"),
    ("a.gif", b"\x00\x01", "this file is not a GIF image: its contents are something else"),
    ("a.pdf", b"MZ\x90", "this file is not a PDF document: its contents are an executable program"),
])
def test_bytes_that_disagree_with_the_extension_are_refused_naming_both(name, head, message):
    with pytest.raises(InvalidInput) as raised:
        sniff(name, head, is_utf8=False)

    assert raised.value.errors == {"file": [message]}


def test_text_that_happens_to_start_like_a_windows_program_is_text():
    assert sniff("notes.txt", b"MZ-400 results\n", is_utf8=True) == "text/plain"
