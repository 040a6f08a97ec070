"""outputs.pdf: LibreOffice as the server runs it — missing, hanging (its whole
process group killed, nothing left behind), busy (one conversion at a time on
the machine; a request that waits too long is told to try again)."""
from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

import outputs.pdf
from outputs.pdf import PdfError, one_at_a_time, to_pdf


def gone(pid: int) -> bool:
    """Not running: no such process, or a zombie (dead, not yet reaped)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in state


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
    """soffice is a script that starts soffice.bin: both go at the timeout."""
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
