"""Serving the audit view with Datasette 0.65, in this process (uvicorn), read-only.

``serve_ledger`` is what ``hrgov audit`` (and the demo) run: every check first, each failing with
a one-line message before anything is built or started, then an audit bundle in a temporary
folder, served until Ctrl-C, then removed::

    serve_ledger(ledger, host="127.0.0.1", port=8001, on_ready=lambda url, bundle: print(url))

A non-loopback host needs authentication (``authentication``: the password hash comes from
``HRGOV_AUDIT_PASSWORD_HASH``); a port in use is refused (``check_port``). Datasette is imported
here, inside functions, and nowhere else in hrgov.
"""

from __future__ import annotations

import errno
import importlib.util
import ipaddress
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from hrgov.audit.metadata import Auth
from hrgov.errors import EnvironmentProblem, HrgovError, InvalidInput

HASH_VARIABLE = "HRGOV_AUDIT_PASSWORD_HASH"
USER_VARIABLE = "HRGOV_AUDIT_USER"
DEFAULT_USER = "auditor"
HASH_HINT = (
    "make one with: datasette hash-password, then "
    "export HRGOV_AUDIT_PASSWORD_HASH='pbkdf2_sha256$…'"
)


class AuditUnavailable(HrgovError):
    """The environment cannot serve the audit view (Datasette or its plugin is missing, the
    server could not start)."""

    exit_code = 1


def authentication(environ: Mapping[str, str]) -> Auth | None:
    """Password authentication if ``HRGOV_AUDIT_PASSWORD_HASH`` holds a password hash (made by
    ``datasette hash-password``); the user is ``HRGOV_AUDIT_USER`` (default ``auditor``).

    The hash is only ever read from the environment, never from the command line or the
    ledger, and never written anywhere: the metadata names the variable.
    """
    value = environ.get(HASH_VARIABLE, "").strip()
    if not value:
        return None
    parts = value.split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256" or not parts[1].isdigit():
        raise InvalidInput(f"{HASH_VARIABLE} does not hold a password hash ({HASH_HINT})")
    user = environ.get(USER_VARIABLE, "").strip() or DEFAULT_USER
    if not all(c.isalnum() or c in "-." for c in user):
        raise InvalidInput(
            f"{USER_VARIABLE} {user!r} is not a user name (letters, digits, '-' and '.')"
        )
    if importlib.util.find_spec("datasette_auth_passwords") is None:
        raise AuditUnavailable(
            "signing in needs the datasette-auth-passwords plugin "
            "(pip install 'datasette-auth-passwords>=1.1,<2')"
        )
    return Auth(user=user, hash_variable=HASH_VARIABLE)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, auth: Auth | None) -> None:
    """Refuse to listen beyond this machine without authentication."""
    if not host or any(c.isspace() for c in host):
        raise InvalidInput(f"--host {host!r} is not a host name or address")
    if not is_loopback(host) and auth is None:
        raise InvalidInput(
            f"--host {host} would let other machines reach the audit view; set up "
            f"authentication first ({HASH_HINT}), or keep the default --host 127.0.0.1"
        )


def check_port(host: str, port: int) -> None:
    """Refuse a port something already listens on (bound as the server will bind it)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise InvalidInput(f"--host {host!r} cannot be resolved: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise EnvironmentProblem(
                    f"port {port} on {host} is in use; choose another with --port"
                ) from None
            if error.errno == errno.EACCES:
                raise EnvironmentProblem(
                    f"port {port} needs privileges this user lacks; choose one above 1023"
                ) from None
            raise EnvironmentProblem(
                f"cannot listen on {host}:{port}: {error.strerror}"
            ) from None


def check_datasette() -> None:
    """Refuse to go on without Datasette 0.65 (1.0 configures things differently)."""
    if importlib.util.find_spec("datasette") is None:
        raise AuditUnavailable(
            "the audit view needs Datasette (pip install 'datasette>=0.65,<1.0')"
        )
    from importlib.metadata import version

    found = version("datasette")
    if not found.startswith("0."):
        raise AuditUnavailable(
            f"the audit view needs Datasette 0.65.x, found {found} "
            "(pip install 'datasette>=0.65,<1.0')"
        )


def serve_ledger(
    ledger,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    at: str | None = None,
    include_internal: bool = True,
    on_ready: Callable[[str, object], None] | None = None,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Serve the audit view of ``ledger`` until Ctrl-C or SIGTERM.

    Refuses (``InvalidInput``, nothing started) an unknown ``at``, a non-loopback ``host``
    without authentication, a malformed password hash or a port in use. ``on_ready(url,
    bundle)`` is called once the server listens (``bundle`` is the ``hrgov.audit.Bundle``
    served). The audit copy lives in a temporary folder, removed when the server stops.
    """
    from hrgov import snapshot
    from hrgov.audit import write_bundle

    if at is not None:
        snapshot.resolve(ledger.reader(), ledger.root, at)
    auth = authentication(os.environ if environ is None else environ)
    check_datasette()
    check_host(host, auth)
    check_port(host, port)
    with stopping_on_sigterm():
        folder = None
        try:
            with _signals_held():  # a signal now would leave the folder made, but not known
                folder = Path(tempfile.mkdtemp(prefix="hrgov-audit-"))
            bundle = write_bundle(
                ledger, folder / "bundle", at=at, include_internal=include_internal, auth=auth
            )
            serve(
                bundle.folder,
                host=host,
                port=port,
                on_ready=None if on_ready is None else (lambda url: on_ready(url, bundle)),
            )
        finally:
            if folder is not None:
                with _signals_held():  # a second Ctrl-C does not cut the removal short
                    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait (pending) until the block is over."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def stopping_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM stops the work as Ctrl-C does (``KeyboardInterrupt``), so
    that every ``finally`` runs and no temporary copy is left behind, whenever it comes."""
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def datasette_for(bundle: Path):
    """A ``Datasette`` serving the bundle's copy immutable, with its metadata, templates and
    plugin: the same instance ``datasette serve BUNDLE`` would make."""
    from datasette.app import Datasette

    def read(name: str):
        return json.loads((bundle / name).read_text(encoding="utf-8"))

    return Datasette(
        [],
        immutables=[str(bundle / "ledger.db")],
        metadata=read("metadata.json"),
        inspect_data=read("inspect-data.json"),
        settings=read("settings.json"),
        template_dir=str(bundle / "templates"),
        plugins_dir=str(bundle / "plugins"),
    )


def serve(
    bundle: Path,
    *,
    host: str,
    port: int,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``bundle`` until Ctrl-C or SIGTERM, which stop the server cleanly (open requests
    finish, then it returns). ``on_ready(url)`` is called once the server listens."""
    import uvicorn

    ds = datasette_for(bundle)
    config = uvicorn.Config(
        ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1
    )
    server = uvicorn.Server(config)
    url = f"http://{_url_host(host)}:{port}/"

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started and on_ready is not None:
            on_ready(url)

    threading.Thread(target=announce, daemon=True).start()
    previous = signal.signal(signal.SIGTERM, _stop)
    stopped = False
    try:
        server.run()
    except SystemExit:  # uvicorn exits when it cannot listen (the port was taken meanwhile)
        raise AuditUnavailable(f"the audit view could not listen on {host}:{port}") from None
    except (KeyboardInterrupt, _Stopped):
        stopped = True  # uvicorn has shut down cleanly and re-raised the signal that stopped it
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not server.started and not stopped:
        raise AuditUnavailable(f"the audit view could not start on {host}:{port}")


class _Stopped(KeyboardInterrupt):
    """SIGTERM: stops the work as Ctrl-C does (uvicorn re-raises it after a clean shutdown)."""


def _stop(signum, frame) -> None:
    raise _Stopped()


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return socket.gethostname()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
