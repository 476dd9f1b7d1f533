"""`boligspor serve --workers 2`: two server processes behind one port, and /metrics, answered
by either, adds up the requests of both (prometheus-client's multiprocess mode)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from api.users import UserStore
from tests.api.test_health_and_metrics import sample_value
from tests.conftest import TODAY_NOW
from tests.operations.processes import answers, environment, start, wait_until
from tests.pages.conftest import free_port
from tests.reliability.processes import open_app

pytestmark = pytest.mark.slow


def test_two_server_processes_answer_on_one_port_and_report_metrics_together(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    app = open_app(url)
    users = UserStore(app.sql)
    users.ensure_table()
    token = users.add("anne", "admin", None, now=TODAY_NOW)[1]
    app.close()
    port = free_port()
    metrics_directory = tmp_path / "metrics"
    env = environment(url, log_level="WARNING", metrics_directory=str(metrics_directory))
    server = start("serve", ["serve", "--port", str(port), "--workers", "2"], env, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(f"{base}/api/health") == 200, 120, "the servers")
        for _ in range(40):  # a new connection each: the two processes share the port's accepts
            assert httpx.get(f"{base}/api/health/ready", timeout=10).status_code == 200

        # two processes wrote their samples, and any scrape counts every request of both
        wait_until(
            lambda: len({p.name.rsplit("_", 1)[-1] for p in metrics_directory.glob("*.db")}) >= 2,
            30,
            "both processes' samples",
        )
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(6):
            text = httpx.get(f"{base}/metrics", headers=headers, timeout=10).text
            counted = sample_value(
                text, "boligspor_http_requests_total", route="/api/health/ready", status="200"
            )
            assert counted == 40
    finally:
        server.stop()
    assert server.popen.returncode == 0, server.log.read_text()
