"""A throwaway PostgreSQL server for tests and benchmarks: initdb + pg_ctl into a temporary folder.

Debian's `postgresql` package (installed by `make test` when missing) brings
the binaries; nothing else is needed. The server listens on a Unix socket in
its own folder only, with fsync off (it holds nothing worth keeping). As root
(CI), initdb refuses to run, so the server runs as the `postgres` user the
Debian package creates.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

REQUIRE_ENV = "STORYDESK_REQUIRE_PG"  # set by `make test`: a missing server is then an error, not a skip


def find_bindir() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found is None:
            break
    else:
        return Path(os.path.realpath(shutil.which("initdb") or "")).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


class PgServer:
    """`fsync=False` (tests): nothing is flushed to disk. `fsync=True` (benchmarks): flushed as a
    real server is, but commits do not wait for it (synchronous_commit off, like SQLite's
    synchronous=NORMAL in WAL mode, where a commit does not wait either)."""

    def __init__(self, bindir: Path, *, fsync: bool = False) -> None:
        self.bindir = bindir
        self.fsync = fsync
        self.root = Path(tempfile.mkdtemp(prefix="storydesk-pg-"))
        self.data = self.root / "data"
        self.port = 5432  # only names the socket file: the socket folder is this server's own
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            info = pwd.getpwnam(self.user)
            os.chown(self.root, info.pw_uid, info.pw_gid)
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def start(self) -> PgServer:
        sync = [] if self.fsync else ["-N"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", *sync)
        durability = "-c synchronous_commit=off" if self.fsync else "-F"
        options = f"{durability} -k {self.root} -p {self.port} -c listen_addresses='' -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        self.admin("CREATE DATABASE storydesk")
        return self

    def url(self, database: str = "storydesk", *, schema: str | None = None) -> str:
        url = f"postgresql://postgres@/{database}?host={quote(str(self.root))}&port={self.port}"
        if schema:
            url += "&options=" + quote(f"-c search_path={schema}")
        return url

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def fresh_schema(self) -> str:
        """A new empty schema in the `storydesk` database; a store opened on `url(schema=...)` lives in it."""
        name = f"t{next(self._names)}"
        self.admin(f"CREATE SCHEMA {name}", "storydesk")
        return name

    def drop_schema(self, name: str) -> None:
        self.admin(f"DROP SCHEMA {name} CASCADE", "storydesk")

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # never started, or already gone
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server(*, fsync: bool = False) -> PgServer | str:
    """A running server, or the reason there is none."""
    bindir = find_bindir()
    if bindir is None:
        return "PostgreSQL's initdb/pg_ctl not found (Debian package postgresql; `make test` installs it)"
    server = PgServer(bindir, fsync=fsync)
    try:
        return server.start()
    except (subprocess.CalledProcessError, KeyError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        server.stop()
        return f"could not start a PostgreSQL server: {detail.strip()[:300]}"
