"""`duyet dev`: everything on one machine with nothing installed but this package."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from service.errors import NotFound
from service.settings import Settings
from service.store import Database, accounts, migrate, moderator_accounts
from workers.embedded_redis import EmbeddedRedis

DEV_DIR = Path(".duyet")
DEMO_SITE = "demo"


def _seed_demo(database_url: str) -> None:
    """Create the demo site, an API key and an admin moderator once, printing the secrets."""
    db = Database(database_url)
    try:
        accounts.find_site(db, DEMO_SITE)
        print("demo site exists; its key and password were printed on the first run.")
        print("  new key:       duyet key create demo")
        print("  new moderator: duyet moderator create NAME --role admin")
        return
    except NotFound:
        pass
    site = accounts.create_site(db, DEMO_SITE, "Báo Demo")
    key = accounts.create_api_key(db, site.id, "dev")
    password = secrets.token_urlsafe(12)
    moderator_accounts.create_moderator(db, "admin", password, role="admin")
    print("\n=== duyet demo (shown once) ===")
    print(f"  site:      {DEMO_SITE}")
    print(f"  API key:   {key.secret}")
    print(f"  moderator: admin / {password}")
    print("===============================\n")
    db.dispose()


def dev_secret_key() -> str:
    """This checkout's own random key for moderator sessions, made once and kept in .duyet/
    (so a restart keeps moderators signed in)."""
    path = DEV_DIR / "secret_key"
    if not path.exists():
        DEV_DIR.mkdir(exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "workers.cli", *args], env=env)


def run_dev(port: int | None) -> int:
    """Start Redis (embedded unless REDIS_URL is set), migrate, seed, run API and a worker."""
    settings = Settings.from_env()
    port = port or settings.dev_port
    _require_free(port)
    redis = None if settings.redis_url else EmbeddedRedis(DEV_DIR / "redis").start()
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    env["REDIS_URL"] = redis.url if redis else settings.redis_url
    if not env.get("DUYET_SECRET_KEY"):
        env["DUYET_SECRET_KEY"] = dev_secret_key()
    migrate.upgrade(settings.database_url)
    _seed_demo(settings.database_url)
    children = [
        _spawn(["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"], env),
        _spawn(["worker"], env),
    ]
    print(f"duyet is running: API http://127.0.0.1:{port}  (Ctrl-C stops everything)")
    try:
        _wait(children)
    finally:
        _stop(children)
        if redis:
            redis.stop()
    return 0


def _require_free(port: int) -> None:
    """Refuse a port something else listens on (OSError: one line, exit 2), before starting
    anything: the API would fail there seconds after "duyet is running" was printed."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise OSError(f"port {port} is taken ({exc.strerror}): set DUYET_DEV_PORT") from None


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops duyet dev as cleanly as Ctrl-C


def _wait(children: list[subprocess.Popen[bytes]]) -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("a duyet process exited; stopping the others", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nstopping duyet ...")


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
