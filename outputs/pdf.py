"""PDF of a month-end file, by LibreOffice (soffice --headless --convert-to pdf).

Decided: the deck's PDF is its .pptx converted, not the review page printed by
Chromium — so the PDF and the PowerPoint file are the same slides with the same
numbers, it needs no logged-in browser on the server, and the 督办单's PDF
comes the same way from its .docx.  The server needs LibreOffice Impress and
Writer (Debian: libreoffice-impress-nogui, libreoffice-writer-nogui; `make
browser` installs them); without it PdfError says so and the Word and
PowerPoint files still work.

The fonts the files name are matched by outputs/fonts.conf: the official
font where the machine has it, else a Noto CJK face of its kind.

A conversion takes two seconds of a core and 250 MB: one at a time on the
machine (a lock file that every worker shares; a request that waits longer
than WAIT is told to try again), each process with its own private
LibreOffice profile (two instances on one profile refuse to start), and the
whole process group killed past TIMEOUT — below gunicorn's worker timeout,
so the request is answered, and no LibreOffice is left behind.
"""
from __future__ import annotations

import atexit
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

TIMEOUT = 45  # seconds for one conversion (gunicorn's worker timeout: 60)
WAIT = 10  # seconds to wait for another conversion to end
PDF = "application/pdf"
FONTS = Path(__file__).with_name("fonts.conf")  # the named Chinese fonts, or their Noto CJK stand-ins
LOCK = Path(tempfile.gettempdir()) / f"credit-monitor-pdf-{os.getuid()}.lock"
log = logging.getLogger(__name__)
_profile: dict[int, Path] = {}  # pid -> this process's LibreOffice profile


class PdfError(Exception):
    """No PDF: LibreOffice is missing, busy, failed or took too long (the message says which)."""


def soffice() -> str | None:
    return shutil.which(os.environ.get("SOFFICE", "soffice"))


def to_pdf(data: bytes, suffix: str) -> bytes:
    """``data`` (a .docx or .pptx: ``suffix``) as a PDF."""
    program = soffice()
    if program is None:
        raise PdfError("本机未安装 LibreOffice，无法生成 PDF（可下载 Word / PowerPoint 版本）")
    with one_at_a_time(), tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"file{suffix}"
        source.write_bytes(data)
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile().as_uri()}", "--convert-to", "pdf", "--outdir", work, str(source)]
        run(command)
        result = source.with_suffix(".pdf")
        if not result.exists():
            raise PdfError("LibreOffice 未能生成 PDF")
        return result.read_bytes()


def run(command: list[str]) -> None:
    """Run LibreOffice in a process group of its own: killed whole past TIMEOUT
    (soffice is a script that starts soffice.bin, which would outlive it)."""
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                   env={**os.environ, "FONTCONFIG_FILE": str(FONTS)})
    except OSError as exc:
        raise PdfError(f"无法启动 LibreOffice：{exc.strerror}") from None
    try:
        _, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(f"生成 PDF 超时（{TIMEOUT} 秒）") from None
    if process.returncode:
        log.warning("LibreOffice exited %s: %s", process.returncode, err.decode(errors="replace")[-2000:])


def profile() -> Path:
    """This process's LibreOffice profile: a private directory, removed at exit."""
    pid = os.getpid()
    if pid not in _profile:
        _profile[pid] = Path(tempfile.mkdtemp(prefix="credit-monitor-lo-"))
        atexit.register(shutil.rmtree, _profile[pid], True)
    return _profile[pid]


@contextmanager
def one_at_a_time():
    """The machine's one conversion slot, waited for up to WAIT seconds."""
    try:
        fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise PdfError(f"无法生成 PDF（{LOCK}：{exc.strerror}）") from None
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PdfError("正在生成其他 PDF，请稍后重试") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # (closing it releases the lock)
