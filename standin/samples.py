"""Small files the demo chats send as a person would: a photo and a PDF, made here so the
repository holds no binary samples."""

from __future__ import annotations

import struct
import zlib

__all__ = ["SAMPLE_PDF_NAME", "sample_pdf", "sample_photo"]

SAMPLE_PDF_NAME = "acta_de_instalacion_muestra.pdf"


def sample_photo(width: int = 240, height: int = 160) -> bytes:
    """A PNG in the colours of Peru's flag (red, white, red): a real image, as a phone sends."""
    red, white = b"\xd9\x1e\x2b", b"\xff\xff\xff"
    third = width // 3
    row = b"\x00" + red * third + white * (width - 2 * third) + red * third
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def sample_pdf(title: str = "Acta de instalacion (muestra)") -> bytes:
    """A one-page PDF with a line of text, valid enough for any reader (offsets computed)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
