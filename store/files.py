"""Files kept in the store (StoredFile): a backup keeps them and every worker
serves them.  A file's kind is read from its first bytes, never from its
name: only documents an office sends (PDF, OFD, Word, Excel, WPS, images) are
taken; each is kept once as uploaded, with its hash, and never overwritten.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import PurePath

from store.models import StoredFile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc .xls .wps .et: the older Office and WPS files
MAGIC = {b"%PDF-": ("application/pdf", ".pdf"), b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
         b"\xff\xd8\xff": ("image/jpeg", ".jpg"), OLE: ("application/octet-stream", None)}
ZIPPED = {"word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
          "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
          "Doc_0/": ("application/ofd", ".ofd")}
KINDS_TEXT = "PDF、OFD、Word、Excel、WPS 文件或 PNG、JPG 图片"
UNSTORABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")  # in a file's name: control characters, lone surrogates


def size_limit_text(max_bytes: int) -> str:
    """'20 MB' ('4 KB' below a megabyte)."""
    return f"{max_bytes // 1024 // 1024} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"


class FileRefused(Exception):
    """Not kept: the message says why."""


def sniff(content: bytes, name: str) -> tuple[str, str]:
    """(content type, file extension) of ``content``, read from its bytes; FileRefused if not one we take."""
    for magic, (kind, ext) in MAGIC.items():
        if content.startswith(magic):
            return kind, ext or (PurePath(name).suffix.lower() if PurePath(name).suffix.lower() in (
                ".doc", ".xls", ".wps", ".et") else ".doc")
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            names = []
        for prefix, found in ZIPPED.items():
            if any(n.startswith(prefix) for n in names):
                return found
    raise FileRefused(f"{name}：无法识别的文件类型，请上传{KINDS_TEXT}。")


def keep(session, content: bytes, name: str, who: str, max_bytes: int, **owner) -> StoredFile:
    """Store ``content`` as uploaded by ``who`` (its name kept for the download,
    with the extension its kind has) for ``owner`` (request_id=…);
    FileRefused: nothing written."""
    name = PurePath(UNSTORABLE.sub("", str(name or "")).replace("\\", "/")).name.strip()[:150] or "附件"
    if not content:
        raise FileRefused(f"{name}：文件为空。")
    if len(content) > max_bytes:
        raise FileRefused(f"{name}：文件超过 {size_limit_text(max_bytes)}。")
    kind, ext = sniff(content, name)
    stem = PurePath(name).stem if PurePath(name).suffix.lower() != ext else name[: -len(ext)]
    stored = StoredFile(name=f"{stem or '附件'}{ext}", content_type=kind, size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(), content=content, uploaded_by=who, **owner)
    session.add(stored)
    session.flush()
    return stored
