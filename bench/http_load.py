"""A light HTTP/1.1 load client: N keep-alive connections posting events for a while.

    python -m bench.http_load PORT TOKEN BODIES.jsonl CLIENTS SECONDS WARMUP

Each line of BODIES is one request body; client i posts lines i, i+N, … in turn. Prints JSON:
answers by status, requests per second and latencies (ms) after the warm-up.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path


async def client(
    port: int, token: str, bodies: list[bytes], deadline: float, warm: float, out: dict
) -> None:
    head = (
        f"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\n"
    ).encode()
    index = 0
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline and index < len(bodies):
            body = bodies[index]
            index += 1
            started = time.perf_counter()
            try:
                writer.write(head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                code = await answer(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                code = "connection-error"
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            ended = time.perf_counter()
            if started >= warm:
                out["status"][code] = out["status"].get(code, 0) + 1
                out["latencies"].append((ended - started) * 1000)
                out["last"] = max(out["last"], ended)
    finally:
        writer.close()


async def answer(reader: asyncio.StreamReader) -> str:
    """Read one response; return its status code."""
    status_line = await reader.readline()
    length = 0
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b""):
            break
        name, _, value = header.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status_line.split()[1].decode()


async def main(port: int, token: str, path: str, clients: int, seconds: float, warmup: float):
    lines = [line.encode() for line in Path(path).read_text(encoding="utf-8").splitlines()]
    per_client = [lines[i::clients] for i in range(clients)]
    begin = time.perf_counter()
    warm, deadline = begin + warmup, begin + warmup + seconds
    out: dict = {"status": {}, "latencies": [], "last": warm}
    await asyncio.gather(
        *(client(port, token, per_client[i], deadline, warm, out) for i in range(clients))
    )
    elapsed = out["last"] - warm
    print(
        json.dumps(
            {
                "status": out["status"],
                "per_s": len(out["latencies"]) / elapsed if elapsed > 0 else 0.0,
                "seconds": elapsed,
                "latencies_ms": out["latencies"],
            }
        )
    )


if __name__ == "__main__":
    port_, token_, path_, clients_, seconds_, warm_ = sys.argv[1:7]
    asyncio.run(main(int(port_), token_, path_, int(clients_), float(seconds_), float(warm_)))
