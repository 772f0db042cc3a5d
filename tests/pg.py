"""A throwaway PostgreSQL cluster for the tests: started on loopback in a temp dir, then removed.

Nothing here touches a system cluster: initdb writes into a fresh temp dir, the server listens on
127.0.0.1 on a free port (and a unix socket in that dir), trusts local connections, and is stopped
with an immediate shutdown (SIGQUIT, what `pg_ctl stop -m immediate` sends). initdb and postgres
refuse to run as root, so as root they run as the `postgres` system user (or `nobody`).
CONCERTA_PG=0 skips PostgreSQL; CONCERTA_PG=require (set by .ci/run) turns "not available" into a
failure instead of a skip.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

# Fast and disposable: durability is worthless here; Lima's offset (not UTC) makes any code that
# mistakes a stored time for a naive UTC one show up.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "autovacuum": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "max_wal_size": "1GB",
    "timezone": "'America/Lima'",
    "logging_collector": "off",
}
TOOLS = ("initdb", "postgres")
SUPERUSER = "postgres"
PR_SET_PDEATHSIG = 1


class Unavailable(Exception):
    """PostgreSQL cannot be used here; the message says why (it becomes the skip reason)."""


def mode() -> str:
    """What CONCERTA_PG asks: "off", "auto" (skip when unavailable) or "require"."""
    value = os.environ.get("CONCERTA_PG", "auto").strip().lower()
    if value in {"0", "off", "no", "false"}:
        return "off"
    return "require" if value in {"require", "required"} else "auto"


def find_bindir() -> Path | None:
    """A directory holding initdb and postgres: PATH, then Debian's, then /usr/local/bin."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).parent] if on_path else []

    def version(d: str) -> float:
        try:
            return float(Path(d).parent.name)
        except ValueError:
            return 0.0

    candidates += [Path(d) for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version,
                                           reverse=True)]
    candidates.append(Path("/usr/local/bin"))
    for directory in candidates:
        if all(os.access(directory / tool, os.X_OK) for tool in TOOLS):
            return directory
    return None


def _die_with_parent() -> None:
    """Runs in the child before exec: the kernel sends SIGQUIT should the test process die."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGQUIT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unprivileged_user() -> pwd.struct_passwd | None:
    """None when not root (run as ourselves); otherwise `postgres`, or else `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise Unavailable("running as root and there is no 'postgres' or 'nobody' user to run as")


class Cluster:
    """One running server; `url(db)` gives SQLAlchemy URLs, `create`/`drop` manage databases."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user = _unprivileged_user()
        self.root = Path(tempfile.mkdtemp(prefix="concerta-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self._server: subprocess.Popen | None = None
        self._names = count(1)

    def _as_user(self) -> dict:
        env = {**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"}
        kwargs = dict(cwd=self.root, env=env)
        if self.user is not None:
            kwargs.update(user=self.user.pw_uid, group=self.user.pw_gid, extra_groups=[])
        return kwargs

    def start(self) -> Cluster:
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        done = subprocess.run(
            [str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, timeout=120, **self._as_user(),
        )
        if done.returncode != 0:
            raise Unavailable(f"initdb failed: {(done.stderr or done.stdout).strip()[-2000:]}")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\n# concerta tests\nunix_socket_directories = '{self.root}'\n")
            conf.writelines(f"{key} = {value}\n" for key, value in SETTINGS.items())
        for attempt in range(3):  # a free port can be taken between probing and binding
            try:
                self._launch()
                return self
            except Unavailable:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _launch(self) -> None:
        """The postmaster as our own child (not daemonised by pg_ctl): we reap it, and it gets
        SIGQUIT should this process die without stopping it."""
        self.port = _free_port()
        with self.log.open("ab") as log:
            self._server = subprocess.Popen(
                [str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(self.port)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent, **self._as_user(),
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                break
            try:
                self._admin("SELECT 1")
                return
            except Exception:
                time.sleep(0.1)
        self._kill()
        tail = self.log.read_text(errors="replace")[-2000:]
        raise Unavailable(f"postgres did not start on 127.0.0.1:{self.port}; its log:\n{tail}")

    def _kill(self) -> None:
        if self._server is not None and self._server.poll() is None:
            self._server.send_signal(signal.SIGQUIT)  # immediate shutdown
            try:
                self._server.wait(30)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
        self._server = None

    def stop(self) -> None:
        """Stop the server and delete everything; safe to call twice."""
        try:
            self._kill()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    def create(self, template: str = "template0", name: str | None = None) -> str:
        """A new database (a copy of `template`), returning its name."""
        name = name or f"t{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster() -> Cluster:
    """Start a cluster, or raise Unavailable saying why not."""
    if mode() == "off":
        raise Unavailable("PostgreSQL tests switched off (CONCERTA_PG=0)")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise Unavailable("psycopg is not installed (pip install -e '.[dev]')") from exc
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable(
            "PostgreSQL server binaries (initdb, postgres) not found on PATH, in "
            "/usr/lib/postgresql/*/bin or /usr/local/bin; apt-get install postgresql"
        )
    cluster = Cluster(bindir)
    atexit.register(cluster.stop)  # should the session end without tearing its fixtures down
    try:
        return cluster.start()
    except BaseException:
        cluster.stop()
        raise
