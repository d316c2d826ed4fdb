"""What a learner may upload: size, number and type of files, the type read from the bytes.

The browser's file name and content type are never trusted. ``check_upload`` reads the start
of the file (and a zip's directory, for office documents) to tell what it really is, refuses it
when that is not what its extension says or not a type the assignment accepts, and stores the
content type from this table, not the browser's. ``sanitise_filename`` keeps a name safe to
store and to send back in a Content-Disposition header.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO


def gettext_noop(message: str) -> str:
    """Marks a message for translation (it is translated where it is shown)."""
    return message


class UploadProblem(ValueError):
    """A file refused, with a translatable message and its ``params``."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", (".pdf",), "application/pdf"),
        FileType(
            "docx",
            "Word",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileType(
            "xlsx",
            "Excel",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileType(
            "pptx",
            "PowerPoint",
            (".pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileType("odt", "OpenDocument text", (".odt",), "application/vnd.oasis.opendocument.text"),
        FileType("png", "PNG", (".png",), "image/png"),
        FileType("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg"),
        FileType("txt", "Text", (".txt",), "text/plain"),
        FileType("mp3", "MP3", (".mp3",), "audio/mpeg"),
        FileType("m4a", "M4A", (".m4a",), "audio/mp4"),
    )
}
DEFAULT_TYPES = ("pdf", "docx", "odt", "png", "jpeg", "txt")
HEAD_BYTES = 8192


def _sniff_zip(handle: BinaryIO) -> str | None:
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if len(names) > 5000:
                return None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "ppt/presentation.xml" in names:
                    return "pptx"
                return None
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                mimetype = archive.read("mimetype").strip()
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    return None


def _is_text(head: bytes, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the head we read.
        if complete or error.start < len(head) - 3:
            return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls == 0


def sniff(handle: BinaryIO) -> str | None:
    """The type key the bytes show (a key of ``TYPES``), or None when unrecognised."""
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    complete = len(handle.read(1)) == 0
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(handle)
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"mp4", b"iso"):
        return "m4a"
    if head and _is_text(head, complete):
        return "txt"
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
_RESERVED |= {f"lpt{i}" for i in range(10)}


def sanitise_filename(name: str, *, max_length: int = 100) -> str:
    """A name safe to store and to offer for download: no folders, no control or shell
    characters, no leading dots, at most ``max_length`` characters, extension kept."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"_+", "_", name).strip(" ._-")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip(" ._-")
    extension = extension[:10].lower()
    if not stem or stem.split(".")[0].lower() in _RESERVED:
        stem = f"file_{stem}" if stem else "file"
    room = max_length - (len(extension) + 1 if extension else 0)
    stem = stem[: max(1, room)].rstrip(" ._-") or "file"
    return f"{stem}.{extension}" if extension else stem


def extension_of(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot else ""


@dataclass(frozen=True)
class CheckedFile:
    name: str  # sanitised
    type: FileType
    size: int


def check_upload(
    *, name: str, size: int, handle: BinaryIO, allowed: Iterable[str], max_bytes: int
) -> CheckedFile:
    """Accept one file or raise ``UploadProblem``; the handle is left at its start."""
    allowed_types = [TYPES[key] for key in allowed if key in TYPES]
    clean = sanitise_filename(name)
    if size <= 0:
        raise UploadProblem(gettext_noop("%(name)s is empty."), name=clean)
    if size > max_bytes:
        raise UploadProblem(
            gettext_noop("%(name)s is larger than %(limit)s."),
            name=clean,
            limit=human_size(max_bytes),
        )
    extension = extension_of(clean)
    claimed = next((t for t in allowed_types if extension in t.extensions), None)
    if claimed is None:
        raise UploadProblem(
            gettext_noop("%(name)s is not a type this assignment accepts (%(types)s)."),
            name=clean,
            types=", ".join(t.label for t in allowed_types),
        )
    found = sniff(handle)
    if found != claimed.key:
        raise UploadProblem(
            gettext_noop("%(name)s does not hold what its name says (%(type)s)."),
            name=clean,
            type=claimed.label,
        )
    return CheckedFile(name=clean, type=claimed, size=size)


def check_count(count: int, *, max_files: int) -> None:
    if count > max_files:
        raise UploadProblem(gettext_noop("Attach at most %(count)s files."), count=max_files)


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"
