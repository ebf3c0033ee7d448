"""A private PostgreSQL + PostGIS cluster for one machine, so a newcomer needs no DBA.

``start`` runs the installed PostgreSQL's ``initdb`` and ``pg_ctl`` into a project folder, on a
private port, listening on loopback only, with a generated password. PostgreSQL refuses to run
as root, and CI runs as root: then every server command runs as an unprivileged system user
(``postgres`` by default) through ``runuser``, and the cluster folder belongs to that user.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Literal

import psycopg
from psycopg import sql

from geodata.settings import Settings

INSTALL_HINT = (
    "PostgreSQL with PostGIS is not installed. On Debian/Ubuntu run:\n"
    "    sudo apt-get install -y postgresql postgresql-15-postgis-3\n"
    "(use the postgis package matching your PostgreSQL major version, e.g. "
    "postgresql-16-postgis-3 on Ubuntu 24.04), or set PLANMAP_DATABASE_URL to a server with PostGIS."
)
SUPERUSER = "planmap"
# The web app's roles (least privilege): the group holds the privileges (0014_roles.sql), the
# login role is the one the dashboard connects as. Roles are cluster-wide, so the names are fixed.
WEB_GROUP = "planmap_web"
WEB_LOGIN = "planmap_app"
Role = Literal["owner", "web"]


class ClusterError(RuntimeError):
    """A private-cluster operation failed; the message says what to do."""


@dataclass(frozen=True)
class ClusterStatus:
    """What ``planmap db status`` reports."""

    running: bool
    initialised: bool
    directory: Path
    port: int
    pid: int | None

    def describe(self) -> str:
        if not self.initialised:
            return f"no cluster in {self.directory} (run: planmap db start)"
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return f"PostgreSQL {state}, port {self.port}, data {self.directory}"


DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")


def find_bindir(settings: Settings, *, root: Path = DEBIAN_PG_ROOT, search_path: str | None = None) -> Path:
    """Folder of ``initdb``/``pg_ctl``: the configured one, else the newest Debian install,
    else whatever is on PATH."""
    candidates: list[Path] = []
    if settings.pg_bindir:
        candidates.append(settings.pg_bindir)
    versions = sorted(
        root.glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versions)
    on_path = shutil.which("pg_ctl", path=search_path)
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise ClusterError(INSTALL_HINT)


def check_postgis(bindir: Path) -> None:
    """Fail early, with the install command, when the PostGIS extension files are missing."""
    pg_config = bindir / "pg_config"
    if pg_config.exists():
        sharedir = Path(_run([str(pg_config), "--sharedir"]).strip())
    else:
        sharedir = Path("/usr/share/postgresql") / bindir.parent.name
    if not (sharedir / "extension" / "postgis.control").exists():
        raise ClusterError(INSTALL_HINT)


def _run(cmd: list[str], *, check: bool = True) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise ClusterError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr or done.stdout}")
    return done.stdout


class PrivateCluster:
    """Start, stop and describe the private cluster described by ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.as_root = os.geteuid() == 0
        self.data_dir = settings.data_dir.resolve()
        self.password_file = self.data_dir / "pg.password"
        self.web_password_file = self.data_dir / "pg-web.password"

    # -- locations -------------------------------------------------------------------------
    @property
    def directory(self) -> Path:
        """The cluster folder; when root and the server user cannot reach the project folder
        (e.g. a clone under /root), a folder under /var/lib/planmap keyed by the project path."""
        wanted = self.settings.cluster_dir
        if not self.as_root or self._server_user_can_reach(wanted.parent):
            return wanted
        digest = hashlib.sha1(str(wanted).encode()).hexdigest()[:12]
        return Path("/var/lib/planmap") / digest / "pg"

    def _server_user_can_reach(self, folder: Path) -> bool:
        folder.mkdir(parents=True, exist_ok=True)
        probe = subprocess.run(
            ["runuser", "-u", self.settings.pg_user, "--", "test", "-x", str(folder)],
            capture_output=True,
            check=False,
        )
        return probe.returncode == 0

    def _as_server(self, cmd: list[str]) -> list[str]:
        if self.as_root:
            return ["runuser", "-u", self.settings.pg_user, "--", *cmd]
        return cmd

    # -- state -----------------------------------------------------------------------------
    def status(self) -> ClusterStatus:
        directory = self.directory
        initialised = (directory / "PG_VERSION").exists()
        pid = None
        running = False
        if initialised:
            bindir = find_bindir(self.settings)
            out = subprocess.run(
                self._as_server([str(bindir / "pg_ctl"), "status", "-D", str(directory)]),
                capture_output=True,
                text=True,
                check=False,
            )
            running = out.returncode == 0
            match = re.search(r"PID: (\d+)", out.stdout)
            pid = int(match.group(1)) if match else None
        return ClusterStatus(running, initialised, directory, self.settings.pg_port, pid)

    def url(self, dbname: str | None = None, *, role: Role = "owner") -> str:
        """Connection URL of the private cluster (the password is read from the data folder):
        ``owner`` is the superuser that administers, migrates and imports; ``web`` the login role
        the dashboard connects as."""
        if not self.password_file.exists():
            raise ClusterError(f"no private cluster yet in {self.data_dir} (run: planmap db start)")
        user, password_file = (WEB_LOGIN, self.web_password_file) if role == "web" else (SUPERUSER, self.password_file)
        if not password_file.exists():
            raise ClusterError(f"no web app role yet in the cluster of {self.data_dir} (run: planmap db start)")
        password = password_file.read_text().strip()
        name = dbname or self.settings.db_name
        return f"postgresql://{user}:{password}@127.0.0.1:{self.settings.pg_port}/{name}"

    # -- actions ---------------------------------------------------------------------------
    def start(self) -> str:
        """Initialise if needed, start if stopped, ensure database + PostGIS; say what happened."""
        bindir = find_bindir(self.settings)
        check_postgis(bindir)
        state = self.status()
        messages: list[str] = []
        if not state.initialised:
            self._initdb(bindir, state.directory)
            messages.append(f"initialised a new cluster in {state.directory}")
        if state.running:
            messages.append(f"already running (pid {state.pid}) on port {self.settings.pg_port}")
        else:
            self._pg_ctl_start(bindir, state.directory)
            messages.append(f"started on 127.0.0.1:{self.settings.pg_port}")
        self.ensure_web_role()
        self.ensure_database(self.settings.db_name)
        return "; ".join(messages)

    def stop(self) -> str:
        state = self.status()
        if not state.running:
            return "not running"
        bindir = find_bindir(self.settings)
        _run(self._as_server([str(bindir / "pg_ctl"), "stop", "-D", str(state.directory), "-m", "fast", "-w"]))
        return f"stopped (was pid {state.pid})"

    def ensure_database(self, dbname: str, *, template: str | None = None) -> None:
        """Create ``dbname`` (optionally from a template database) with PostGIS, if missing."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
            if not exists:
                stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname))
                if template:
                    stmt += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
                conn.execute(stmt)
        with psycopg.connect(self.url(dbname), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")

    def ensure_web_role(self) -> None:
        """Create (or bring back to what it must be) the login role the dashboard connects as:
        a member of the web group, never superuser, unable to create databases or roles, with
        the password kept in the data folder beside the superuser's.

        Run at every start, so a cluster initialised before the role existed gets it, and
        attributes someone widened by hand (superuser, createrole …) are taken back. The group
        is created here too (and by 0014_roles.sql, whichever comes first), because membership
        needs it to exist. The password reaches the server only as a SCRAM verifier, never in
        clear text (nor in the server's log).
        """
        password = self._web_password()
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            verifier = conn.pgconn.encrypt_password(password.encode(), WEB_LOGIN.encode(), b"scram-sha-256")
            names = {"group": sql.Identifier(WEB_GROUP), "login": sql.Identifier(WEB_LOGIN)}
            for name in (WEB_GROUP, WEB_LOGIN):
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone() is None:
                    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
            # geodata.db imports this module, so the file is read here rather than with db.query
            text = files("geodata").joinpath("sql", "cluster_web_role.sql").read_text(encoding="utf-8")
            conn.execute(sql.SQL(text).format(**names, verifier=sql.Literal(verifier.decode())))

    def _web_password(self) -> str:
        """The web role's password: generated once, then read from the data folder (mode 600)."""
        if self.web_password_file.exists():
            return self.web_password_file.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(24)
        fd = os.open(self.web_password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(password + "\n")
        return password

    def drop_database(self, dbname: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))

    # -- internals -------------------------------------------------------------------------
    def _initdb(self, bindir: Path, directory: Path) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        directory.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(24)
        pwfile = directory / ".initdb-pw"
        pwfile.write_text(password + "\n")
        if self.as_root:
            shutil.chown(directory, user=self.settings.pg_user)
            shutil.chown(pwfile, user=self.settings.pg_user)
            if directory.parent != self.data_dir:
                directory.parent.chmod(0o755)
        directory.chmod(0o700)
        pwfile.chmod(0o600)
        try:
            # initdb wants an empty folder: move the password file aside first.
            init_pw = directory.parent / f".{directory.name}-initdb-pw"
            pwfile.rename(init_pw)
            _run(
                self._as_server(
                    [
                        str(bindir / "initdb"),
                        "-D",
                        str(directory),
                        "-U",
                        SUPERUSER,
                        "--auth=scram-sha-256",
                        f"--pwfile={init_pw}",
                        "--encoding=UTF8",
                        "--locale=C.UTF-8",
                        "--no-instructions",
                    ]
                )
            )
        finally:
            for leftover in (pwfile, directory.parent / f".{directory.name}-initdb-pw"):
                leftover.unlink(missing_ok=True)
        with (directory / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# planmap private cluster\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.settings.pg_port}\n"
                "unix_socket_directories = ''\n"
                "shared_buffers = 256MB\n"
                "work_mem = 32MB\n"
                "maintenance_work_mem = 256MB\n"
                "max_wal_size = 2GB\n"
                "synchronous_commit = off\n"
                "logging_collector = off\n"
            )
        self.password_file.write_text(password + "\n")
        self.password_file.chmod(0o600)

    def _pg_ctl_start(self, bindir: Path, directory: Path) -> None:
        log = directory / "server.log"
        _run(
            self._as_server(
                [
                    str(bindir / "pg_ctl"),
                    "start",
                    "-D",
                    str(directory),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {self.settings.pg_port}",
                ]
            )
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise ClusterError(f"server did not accept connections; see {log}") from None
                time.sleep(0.2)


def database_url(settings: Settings, role: Role = "owner") -> str:
    """The URL to connect as ``role``: the configured one, or the private cluster's.

    ``owner`` is for the command line (migrations, imports, matching, accounts); ``web`` for the
    dashboard, which may read and write only its narrow path (0014_roles.sql). An external
    server without ``PLANMAP_WEB_DATABASE_URL`` falls back to the owner URL, so an upgrade keeps
    serving; :func:`least_privilege` tells the dashboard to warn about it.
    """
    if role == "web":
        if settings.web_database_url:
            return settings.web_database_url
        if settings.database_url:
            return settings.database_url
        return PrivateCluster(settings).url(role="web")
    if settings.database_url:
        return settings.database_url
    return PrivateCluster(settings).url()


def least_privilege(settings: Settings) -> bool:
    """True when the dashboard connects with the web role, not as the owner."""
    return bool(settings.web_database_url) or settings.private
