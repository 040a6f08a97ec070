"""outputs.pdf: LibreOffice as the server runs it — kept running by the
machine's converter and closed when idle, replaced when it was killed, and by
its command line where there is no ``uno``; missing, hanging (its whole
process group killed, nothing left behind), busy (one conversion at a time on
the machine; a request that waits too long is told to try again)."""
from __future__ import annotations

import io
import os
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pytest
from docx import Document

import outputs.pdf
from outputs.pdf import PdfError, connected, converter_socket, one_at_a_time, to_pdf, uno_python


def gone(pid: int) -> bool:
    """Not running: no such process, or a zombie (dead, not yet reaped)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in state


def group(leader: int) -> set[int]:
    """The live processes of a process group."""
    members = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == leader and fields[0] != "Z":
            members.add(int(entry.name))
    return members


def converter_pid(program: str) -> int:
    """The pid of the converter of ``program`` (it leads its process group)."""
    server = connected(converter_socket(program))
    assert server is not None, "no converter is running"
    with server:
        return outputs.pdf.peer(server)


@pytest.fixture
def own_office(tmp_path, monkeypatch) -> str:
    """The real LibreOffice under a path of this test's own, so that the
    converter it gets is its own too; gone at the end."""
    program = tmp_path / "soffice"
    program.symlink_to(shutil.which("soffice"))
    monkeypatch.setenv("SOFFICE", str(program))
    yield str(program)
    outputs.pdf.stop_converter(str(program))


def letter(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def test_libreoffice_is_kept_running_between_conversions_and_closed_when_idle(own_office, monkeypatch):
    monkeypatch.setenv("PDF_CONVERTER_IDLE", "3")
    started = time.monotonic()
    assert "first letter" in pdf_text(to_pdf(letter("first letter"), ".docx"))
    first = time.monotonic() - started
    pid = converter_pid(own_office)
    members = group(pid)
    assert len(members) >= 2  # the converter and its LibreOffice
    started = time.monotonic()
    assert "second letter" in pdf_text(to_pdf(letter("second letter"), ".docx"))
    assert time.monotonic() - started < first  # (LibreOffice was running)
    assert converter_pid(own_office) == pid
    deadline = time.monotonic() + 20
    while group(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group(pid) and not any(Path(f"/proc/{m}").exists() and not gone(m) for m in members)
    assert not converter_socket(own_office).exists()


def test_a_killed_converter_is_replaced(own_office):
    to_pdf(letter("one"), ".docx")
    pid = converter_pid(own_office)
    os.killpg(pid, 9)
    assert "two" in pdf_text(to_pdf(letter("two"), ".docx"))
    assert converter_pid(own_office) != pid


def test_without_uno_the_command_line_converts(own_office, monkeypatch):
    monkeypatch.setenv("UNO_PYTHON", sys.executable)  # (the app's Python has no uno)
    assert "no uno" in pdf_text(to_pdf(letter("no uno"), ".docx"))
    assert connected(converter_socket(own_office)) is None


def test_the_converter_socket_is_in_a_directory_of_this_account_only(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    home = tmp_path / f"credit-monitor-pdf-{os.getuid()}"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    with pytest.raises(PdfError, match="不是本账号独有的目录"):
        converter_socket("/usr/bin/soffice")
    home.rmdir()
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    home.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(PdfError, match="不是本账号独有的目录"):
        converter_socket("/usr/bin/soffice")
    home.unlink()
    assert converter_socket("/usr/bin/soffice").parent == home and stat.S_IMODE(home.stat().st_mode) == 0o700
    assert uno_python() in ("/usr/bin/python3", os.environ.get("UNO_PYTHON"))


def fake_soffice(tmp_path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_without_libreoffice_it_says_so(monkeypatch):
    monkeypatch.setenv("SOFFICE", "no-such-program")
    with pytest.raises(PdfError, match="未安装 LibreOffice"):
        to_pdf(b"x", ".docx")


def test_a_hanging_conversion_is_killed_with_what_it_started(tmp_path, monkeypatch):
    """soffice is a script that starts soffice.bin: both go at the timeout,
    with the converter that started them."""
    pid_file = tmp_path / "child.pid"
    monkeypatch.setenv("SOFFICE", fake_soffice(tmp_path, f"sleep 60 &\necho $! > {pid_file}\nwait"))
    monkeypatch.setattr(outputs.pdf, "TIMEOUT", 1)
    started = time.monotonic()
    with pytest.raises(PdfError, match="超时"):
        to_pdf(b"x", ".docx")
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(child)


def test_a_failed_conversion_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("SOFFICE", fake_soffice(tmp_path, "echo broken >&2; exit 3"))
    with pytest.raises(PdfError, match="未能生成 PDF"):
        to_pdf(b"x", ".docx")


def test_one_conversion_at_a_time_and_a_late_one_is_told_to_retry(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs.pdf, "LOCK", tmp_path / "pdf.lock")
    monkeypatch.setattr(outputs.pdf, "WAIT", 0.3)
    with one_at_a_time():
        pid = os.fork()
        if pid == 0:  # another worker
            try:
                with one_at_a_time():
                    os._exit(0)
            except PdfError:
                os._exit(7)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 7
    with one_at_a_time():  # free again
        pass
