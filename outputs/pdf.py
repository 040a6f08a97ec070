"""PDF of a month-end file, by LibreOffice.

Decided: the deck's PDF is its .pptx converted, not the review page printed by
Chromium — so the PDF and the PowerPoint file are the same slides with the same
numbers, it needs no logged-in browser on the server, and the 督办单's PDF
comes the same way from its .docx.  The server needs LibreOffice Impress and
Writer (Debian: libreoffice-impress-nogui, libreoffice-writer-nogui, and
python3-uno; `make browser` installs them); without it PdfError says so and
the Word and PowerPoint files still work.

The fonts the files name are matched by outputs/fonts.conf: the official
font where the machine has it, else a Noto CJK face of its kind.

LibreOffice takes a second or two to start, more than a deck takes to
convert: the machine's converter (outputs/uno_convert.py, run by the Python
that has LibreOffice's ``uno``: UNO_PYTHON, default /usr/bin/python3) keeps
one LibreOffice running, and closes it after PDF_CONVERTER_IDLE seconds
without work (default 3600; 0: never).  It is started when the server
starts (``warm``) or when a PDF is asked for, while the file is being made.
Where there is no ``uno``, the file is converted by ``soffice --convert-to``.

A conversion takes two seconds of a core and 250 MB: one at a time on the
machine (a lock file that every worker shares; a request that waits longer
than WAIT is told to try again), each process with its own private
LibreOffice profile (two instances on one profile refuse to start), and
every process group it started killed when it ends or past TIMEOUT — below
gunicorn's worker timeout, so the request is answered, and no LibreOffice is
left behind.
"""
from __future__ import annotations

import atexit
import fcntl
import hashlib
import logging
import os
import socket
import stat
import struct
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterator

TIMEOUT = 45  # seconds for one conversion (gunicorn's worker timeout: 60)
WAIT = 10  # seconds to wait for another conversion to end
PDF = "application/pdf"
HELPER = Path(__file__).with_name("uno_convert.py")  # run by UNO_PYTHON
FONTS = Path(__file__).with_name("fonts.conf")  # the named Chinese fonts, or their Noto CJK stand-ins
LOCK = Path(tempfile.gettempdir()) / f"credit-monitor-pdf-{os.getuid()}.lock"
log = logging.getLogger(__name__)
_profile: dict[int, Path] = {}  # pid -> this process's LibreOffice profile
_started: list[subprocess.Popen] = []  # the converters this process started


class PdfError(Exception):
    """No PDF: LibreOffice is missing, busy, failed or took too long (the message says which)."""


def soffice() -> str | None:
    return shutil.which(os.environ.get("SOFFICE", "soffice"))


def to_pdf(data: bytes, suffix: str) -> bytes:
    """``data`` (a .docx or .pptx: ``suffix``) as a PDF."""
    with converter() as convert:
        return convert(data, suffix)


@contextmanager
def converter() -> Iterator[Callable[[bytes, str], bytes]]:
    """The function that converts a file (``convert(data, suffix)``), with the
    machine's converter reached — or started — now: make the file inside the
    block, and its making overlaps LibreOffice's start.  Holds the machine's
    conversion slot."""
    program = soffice()
    if program is None:
        raise PdfError("本机未安装 LibreOffice，无法生成 PDF（可下载 Word / PowerPoint 版本）")
    with one_at_a_time(), tempfile.TemporaryDirectory() as work:
        deadline = time.monotonic() + TIMEOUT
        server = reach_converter(program, deadline)

        def convert(data: bytes, suffix: str) -> bytes:
            source = Path(work) / f"file{suffix}"
            source.write_bytes(data)
            if server is None:  # (no uno here: LibreOffice by its command line, a second slower)
                finish(start([program, "--headless", "--norestore", "--nolockcheck",
                              f"-env:UserInstallation={profile().as_uri()}",
                              "--convert-to", "pdf", "--outdir", work, str(source)]), deadline)
            else:
                ask(server, source, deadline)
            result = source.with_suffix(".pdf")
            if not result.exists():
                raise PdfError("LibreOffice 未能生成 PDF")
            return result.read_bytes()

        try:
            yield convert
        finally:
            if server is not None:
                server.close()


def warm() -> None:
    """Start the machine's converter if it is not running (when the server
    starts: the first PDF then does not wait for LibreOffice either)."""
    program = soffice()
    if program is not None:
        with suppress(PdfError), one_at_a_time():
            server = reach_converter(program, time.monotonic() + TIMEOUT)
            if server is not None:
                server.close()


def converter_socket(program: str) -> Path:
    """Where the converter of this LibreOffice (and UNO_PYTHON) listens: in a
    directory only this user may enter."""
    home = Path(tempfile.gettempdir()) / f"credit-monitor-pdf-{os.getuid()}"
    try:
        home.mkdir(mode=0o700, exist_ok=True)
        info = home.lstat()
    except OSError as exc:
        raise PdfError(f"无法生成 PDF（{home}：{exc.strerror}）") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PdfError(f"无法生成 PDF（{home} 不是本账号独有的目录）")
    which = hashlib.sha256(f"{program}\0{uno_python()}".encode()).hexdigest()[:12]
    return home / f"converter-{which}.sock"


def uno_python() -> str:
    return os.environ.get("UNO_PYTHON") or "/usr/bin/python3"


def reach_converter(program: str, deadline: float) -> socket.socket | None:
    """A connection to the machine's converter, started if it is not running
    (None: there is no ``uno`` to run it with)."""
    path = converter_socket(program)
    server = connected(path)
    if server is not None:
        return server
    try:
        started = subprocess.Popen([uno_python(), str(HELPER), program, str(path), str(converter_idle())],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True, env={**os.environ, "FONTCONFIG_FILE": str(FONTS)})
    except OSError:
        return None
    _started.append(started)  # (reaped when it has ended: below, at the next start)
    _started[:] = [p for p in _started if p.poll() is None]
    while started.poll() is None and time.monotonic() < deadline:
        server = connected(path)
        if server is not None:
            return server
        time.sleep(0.01)
    if started.poll() != 3:
        log.warning("the PDF converter (%s %s) did not start: exit %s", uno_python(), HELPER, started.poll())
    stop(started)
    return None


def converter_idle() -> float:
    """Seconds the converter waits for work before it closes LibreOffice (0: never)."""
    try:
        return max(float(os.environ.get("PDF_CONVERTER_IDLE") or 3600), 0)
    except ValueError:
        return 3600


def connected(path: Path) -> socket.socket | None:
    """A connection to the converter listening at ``path`` (None: none is)."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.connect(str(path))
    except OSError:
        server.close()
        return None
    return server


def ask(server: socket.socket, source: Path, deadline: float) -> None:
    """Have the converter convert ``source``; past ``deadline`` it is killed
    whole (PdfError), since a LibreOffice that hangs would hang the next too."""
    try:
        server.settimeout(max(deadline - time.monotonic(), 0.1))
        server.sendall(f"{source}\n".encode())
        reply = server.makefile("rb").readline().decode(errors="replace").strip()
    except TimeoutError:
        kill_converter(server)
        raise PdfError(f"生成 PDF 超时（{TIMEOUT} 秒）") from None
    except OSError as exc:
        reply = f"error: {exc}"
    if reply != "ok":
        log.warning("the PDF converter: %s", reply or "closed the connection")


def kill_converter(server: socket.socket) -> None:
    """Kill the converter at the other end of ``server``, and all it started;
    remove its socket."""
    with suppress(ProcessLookupError):
        os.killpg(peer(server), signal.SIGKILL)  # (it leads its own process group)
    with suppress(OSError):
        os.unlink(server.getpeername())


def stop_converter(program: str) -> None:
    """Stop the converter of ``program`` if one is running (the benchmark's
    cold start; a test's own converter at its end)."""
    server = connected(converter_socket(program))
    if server is not None:
        kill_converter(server)


def peer(server: socket.socket) -> int:
    """The pid of the process that listens at the other end of ``server``."""
    pid, _, _ = struct.unpack("3i", server.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return pid


def start(command: list[str]) -> subprocess.Popen:
    """LibreOffice in a process group of its own, so that it can be killed whole
    (soffice is a script that starts soffice.bin, which would outlive it)."""
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                env={**os.environ, "FONTCONFIG_FILE": str(FONTS)})
    except OSError as exc:
        raise PdfError(f"无法启动 LibreOffice：{exc.strerror}") from None


def finish(process: subprocess.Popen, deadline: float) -> None:
    """Wait for ``process`` until ``deadline``; past it, kill it and say so."""
    try:
        _, err = process.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        stop(process)
        raise PdfError(f"生成 PDF 超时（{TIMEOUT} 秒）") from None
    if process.returncode:
        log.warning("LibreOffice exited %s: %s", process.returncode, err.decode(errors="replace")[-2000:])


def stop(process: subprocess.Popen) -> None:
    """Kill ``process``'s whole group (whatever it started too) and reap it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


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
