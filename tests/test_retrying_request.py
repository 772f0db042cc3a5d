"""The request layer against a real local HTTP server that misbehaves on purpose."""

import asyncio
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from telegram.error import TimedOut

from handlers.retrying_request import RetryingRequest

OK = b'{"ok": true, "result": true}'


@asynccontextmanager
async def _serving(handle):
    """A local HTTP server answering every POST with `handle`; yields the bot's base URL."""
    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot123:x"
    finally:
        await runner.cleanup()


@pytest.fixture
async def flaky():
    """A server whose answers are scripted per call: ("slow", s), ("status", code) or "ok"."""
    script: list = []
    seen: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(request.path.rsplit("/", 1)[-1])
        step = script.pop(0) if script else "ok"
        if isinstance(step, tuple) and step[0] == "slow":
            await asyncio.sleep(step[1])
        elif isinstance(step, tuple) and step[0] == "status":
            return web.Response(status=step[1], body=b'{"ok": false, "description": "x"}')
        return web.Response(body=OK, content_type="application/json")

    async with _serving(handle) as base:
        yield base, script, seen


async def request(url: str, **kwargs) -> RetryingRequest:
    req = RetryingRequest(first_delay=0.01, **kwargs)
    await req.initialize()
    return req


async def test_timeout_on_a_read_is_retried(flaky):
    base, script, seen = flaky
    script += [("slow", 1.0)]
    req = await request(base, read_timeout=0.2)
    try:
        code, body = await req.do_request(f"{base}/getMe", "POST")
    finally:
        await req.shutdown()
    assert (code, body) == (200, OK)
    assert seen == ["getMe", "getMe"]


async def test_timeout_on_a_send_is_not_repeated(flaky):
    """Telegram may have delivered it: a late error beats a second copy."""
    base, script, seen = flaky
    script += [("slow", 1.0)]
    req = await request(base, read_timeout=0.2)
    try:
        with pytest.raises(TimedOut):
            await req.do_request(f"{base}/sendMessage", "POST")
    finally:
        await req.shutdown()
    assert seen == ["sendMessage"]


async def test_server_errors_are_retried_with_backoff_then_given_up(flaky):
    base, script, seen = flaky
    script += [("status", 502), ("status", 500)]
    req = await request(base)
    try:
        code, _ = await req.do_request(f"{base}/sendMessage", "POST")
        assert code == 200 and seen == ["sendMessage"] * 3
        script += [("status", 503)] * 10
        code, _ = await req.do_request(f"{base}/sendMessage", "POST")
    finally:
        await req.shutdown()
    assert code == 503  # after `attempts` tries the error is the caller's
    assert len(seen) == 3 + req.attempts


async def test_refused_connection_is_retried():
    req = await request("http://127.0.0.1:9/bot1:x", attempts=2)
    try:
        with pytest.raises(Exception) as err:
            await req.do_request("http://127.0.0.1:9/bot1:x/sendMessage", "POST")
    finally:
        await req.shutdown()
    assert "ConnectError" in str(err.value)


@pytest.fixture
async def limited():
    """A server that answers 429 (retry_after 1) to the first `n[0]` calls, then ok."""
    n = [1]
    seen: list[float] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(asyncio.get_running_loop().time())
        if n[0] > 0:
            n[0] -= 1
            body = b'{"ok": false, "error_code": 429, "description": "Too Many Requests: '
            body += b'retry after 1", "parameters": {"retry_after": 1}}'
            return web.Response(status=429, body=body, content_type="application/json")
        return web.Response(body=OK, content_type="application/json")

    async with _serving(handle) as base:
        yield base, n, seen


async def test_a_429_on_a_reply_is_waited_out_and_sent_once(limited):
    base, _, seen = limited
    req = await request(base)
    try:
        code, body = await req.do_request(f"{base}/sendMessage", "POST")
    finally:
        await req.shutdown()
    assert (code, body) == (200, OK)
    assert len(seen) == 2 and seen[1] - seen[0] >= 1.0


async def test_the_broadcast_lane_gets_its_429_back(limited):
    from handlers.common import pacing_429_myself

    base, _, seen = limited
    req = await request(base)
    try:
        with pacing_429_myself():
            code, _ = await req.do_request(f"{base}/sendMessage", "POST")
    finally:
        await req.shutdown()
    assert code == 429 and len(seen) == 1
