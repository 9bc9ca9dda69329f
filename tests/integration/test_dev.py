"""`duyet dev`, the README's first command, refuses what would fail after it said "running"."""

from __future__ import annotations

import socket

from workers.cli import main


def test_dev_on_a_taken_port_says_so_in_one_line_before_starting_anything(
    settings, capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["dev", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"port {port} is taken" in err
    assert not (tmp_path / ".duyet").exists()  # no embedded Redis was started
