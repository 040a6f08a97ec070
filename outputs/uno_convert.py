"""The machine's PDF converter: one LibreOffice kept running and driven through
UNO, so that a PDF does not wait for LibreOffice to start (two seconds of the
three a deck may take).  outputs.pdf starts it and talks to it; it is run by
the Python that has LibreOffice's ``uno`` module, not the app's.

    python3 uno_convert.py SOFFICE SOCKET IDLE

Listens on the unix socket SOCKET (in a directory only this user can enter):
each connection sends a source path (.pptx or .docx) on one line and is
answered ``ok`` (the PDF is written beside it, same name) or ``error: …``,
one connection at a time.  Exits, closing LibreOffice, after IDLE seconds
without a connection (0: never), after MAX_CONVERSIONS connections, or when
LibreOffice has gone; exit status 3:
this Python has no ``uno``.  What it starts stays in its process group, so
that outputs.pdf can kill the converter whole.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError:
    sys.exit(3)

FILTERS = {".pptx": "impress_pdf_Export", ".docx": "writer_pdf_Export"}
READ_TIMEOUT = 60  # seconds a connection may take to send its path (the app makes the file meanwhile)
MAX_CONVERSIONS = 200  # then it exits, and the next PDF starts a fresh LibreOffice (it grows as it works)


def prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(office: subprocess.Popen, pipe: str):
    """LibreOffice's desktop once it takes connections (None: it has exited)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while office.poll() is None:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.02)
            continue
        return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return None


def convert(desktop, source: Path) -> None:
    document = desktop.loadComponentFromURL(source.as_uri(), "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True)))
    try:
        document.storeToURL(source.with_suffix(".pdf").as_uri(), (prop("FilterName", FILTERS[source.suffix]),))
    finally:
        document.close(True)


def answer(desktop, connection: socket.socket) -> None:
    """Convert the file a connection names, and tell it how that went."""
    connection.settimeout(READ_TIMEOUT)
    try:
        line = connection.makefile("rb").readline().decode().strip()
    except (OSError, UnicodeDecodeError):
        return
    if not line:  # (a connection that only made sure the converter runs)
        return
    try:
        convert(desktop, Path(line))
        reply = "ok"
    except Exception as exc:  # (a UNO exception, or a suffix it does not know: the app says no PDF was made)
        reply = f"error: {type(exc).__name__}: {getattr(exc, 'Message', exc)}".replace("\n", " ")
    try:
        connection.sendall(f"{reply}\n".encode())
    except OSError:
        pass


def serve(listener: socket.socket, path: str, office: subprocess.Popen, pipe: str, idle: float) -> None:
    desktop = connect(office, pipe)
    listener.settimeout(idle or None)
    for _ in range(MAX_CONVERSIONS):
        if desktop is None or office.poll() is not None:
            break
        try:
            connection, _ = listener.accept()
        except socket.timeout:
            break
        with connection:
            answer(desktop, connection)
    os.unlink(path)  # (no one new reaches it now; those who already did are answered)
    listener.setblocking(False)
    while desktop is not None and office.poll() is None:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            break
        with connection:
            answer(desktop, connection)
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:  # (the bridge goes as LibreOffice does)
            pass


def main(soffice: str, path: str, idle: str) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(path):
        os.unlink(path)  # (left by one killed: outputs.pdf starts a converter only when it cannot reach one)
    listener.bind(path)
    listener.listen(8)
    profile = Path(tempfile.mkdtemp(prefix="credit-monitor-lo-"))
    office = subprocess.Popen([soffice, "--headless", "--invisible", "--norestore", "--nolockcheck",
                               f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={profile.name};urp;"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        serve(listener, path, office, profile.name, float(idle))
    finally:
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
