"""A page compressed around a run compressed once (app.gzip_runs) inflates, CRC-32 and
length checked, to exactly the bytes it stands for, whatever the parts hold."""

from __future__ import annotations

import gzip
import random
import zlib

import pytest

from app.gzip_runs import DeflatedRun, accepts_gzip, gzip_around

rng = random.Random(7)
HTML = "".join(f'<li class="card" id="g-{i}">Layanan publik {i} — “ide” ✓</li>\n' for i in range(400)).encode()


@pytest.mark.parametrize(
    ("head", "run", "tail"),
    [
        (b"", b"", b""),
        (b"<html>", b"", b"</html>"),
        (b"", HTML, b""),
        (b"<!doctype html><title>Isu</title>" * 40, HTML, b"</main></body></html>\n"),
        (rng.randbytes(3000), rng.randbytes(70_000), rng.randbytes(17)),  # every CRC bit gets exercised
        (b"\xff" * 5, b"\x00" * 100_000, b"\xff"),
    ],
)
def test_the_body_inflates_to_head_run_and_tail(head: bytes, run: bytes, tail: bytes) -> None:
    body = gzip_around(head, DeflatedRun.of(run), tail)
    assert gzip.decompress(body) == head + run + tail
    # As a browser reads it: one gzip member, to its end, the trailer checked by zlib.
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert inflater.decompress(body) + inflater.flush() == head + run + tail
    assert inflater.eof and inflater.unused_data == b""


def test_one_run_serves_many_pages() -> None:
    shared = DeflatedRun.of(HTML)
    for n in range(20):
        head, tail = f"<p>Peserta {n} (Dinas {n * 7})</p>".encode(), rng.randbytes(n)
        assert gzip.decompress(gzip_around(head, shared, tail)) == head + HTML + tail
    # The run is smaller compressed than the page would be per phone, and shared as it is.
    assert len(shared.deflated) < len(HTML) / 5


def test_a_corrupted_body_is_refused_not_misread() -> None:
    body = bytearray(gzip_around(b"<p>kepala</p>", DeflatedRun.of(HTML), b"<p>ekor</p>"))
    body[-8] ^= 1  # the CRC
    with pytest.raises((OSError, zlib.error)):
        gzip.decompress(bytes(body))


def test_who_takes_gzip() -> None:
    assert accepts_gzip("gzip, deflate, br") and accepts_gzip("gzip")
    assert not accepts_gzip("") and not accepts_gzip("identity") and not accepts_gzip("br")
