"""The text drawn in a reportlab PDF (its page streams inflated, the strings of Tj operators)."""

import re
import zlib


def pdf_text(data: bytes) -> str:
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\s*endstream", data, re.S):
        raw = match.group(1)
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            try:
                import base64

                body = re.sub(rb"\s", b"", raw)
                body = body[:-2] if body.endswith(b"~>") else body
                raw = zlib.decompress(base64.a85decode(body))
            except Exception:  # noqa: S112 - images and fonts are not text
                continue
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", raw):
            unescaped = re.sub(
                rb"\\([0-7]{1,3}|[()\\])",
                lambda m: bytes([int(m.group(1), 8)]) if m.group(1).isdigit() else m.group(1),
                text,
            )
            parts.append(unescaped.decode("cp1252", errors="replace"))
    return " ".join(parts)
