"""PDF of a month-end file, by LibreOffice (soffice --headless --convert-to pdf).

Decided: the deck's PDF is its .pptx converted, not the review page printed by
Chromium — so the PDF and the PowerPoint file are the same slides with the same
numbers, it needs no logged-in browser on the server, and the 督办单's PDF
comes the same way from its .docx.  The server needs LibreOffice Impress and
Writer (Debian: libreoffice-impress-nogui, libreoffice-writer-nogui; `make
browser` installs them); without it PdfError says so and the Word and
PowerPoint files still work.

The fonts the files name are matched by outputs/fonts.conf: the official
font where the machine has it, else a Noto CJK face of its kind.  One conversion at a time per process, each process with its own LibreOffice
profile (two instances on one profile refuse to start), bounded by a timeout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

TIMEOUT = 120  # seconds
FONTS = Path(__file__).with_name("fonts.conf")  # the named Chinese fonts, or their Noto CJK stand-ins
PDF = "application/pdf"
_lock = threading.Lock()


class PdfError(Exception):
    """No PDF: LibreOffice is missing, failed, or took too long (the message says which)."""


def soffice() -> str | None:
    return shutil.which(os.environ.get("SOFFICE", "soffice"))


def to_pdf(data: bytes, suffix: str) -> bytes:
    """``data`` (a .docx or .pptx: ``suffix``) as a PDF."""
    program = soffice()
    if program is None:
        raise PdfError("本机未安装 LibreOffice，无法生成 PDF（可下载 Word / PowerPoint 版本）")
    profile = Path(tempfile.gettempdir()) / f"credit-monitor-lo-{os.getpid()}"
    with _lock, tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"file{suffix}"
        source.write_bytes(data)
        command = [program, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", "pdf", "--outdir", work, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False,
                           env={**os.environ, "FONTCONFIG_FILE": str(FONTS)})
        except subprocess.TimeoutExpired:
            raise PdfError(f"生成 PDF 超时（{TIMEOUT} 秒）") from None
        result = source.with_suffix(".pdf")
        if not result.exists():
            raise PdfError("LibreOffice 未能生成 PDF")
        return result.read_bytes()
