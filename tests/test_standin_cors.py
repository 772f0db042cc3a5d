"""The demo stand-in's chat API is read by the demo page only: the page reaches it through its
own server (standin/webchat.py), and a page from any other origin gets no CORS permission."""

import aiohttp

from standin.server import BotAPIStandIn
from standin.webchat import WebChat
from tests.e2e.harness import TOKEN

ELSEWHERE = "http://evil.example"


async def test_only_the_demo_page_may_read_the_chat_api():
    async with BotAPIStandIn(token=TOKEN) as api, aiohttp.ClientSession() as http:
        for method in ("GET", "OPTIONS"):
            async with http.request(
                method, f"{api.url}/_chat/info",
                headers={"Origin": ELSEWHERE, "Access-Control-Request-Method": "POST"},
            ) as response:
                assert "Access-Control-Allow-Origin" not in response.headers, method
        chat = WebChat(api.url, port=0)
        await chat.start()
        try:
            async with http.get(f"{chat.url}/_chat/info") as response:
                assert response.status == 200
                assert (await response.json())["ok"] is True
        finally:
            await chat.stop()
        api.page_origin = "http://127.0.0.1:8080"  # a page served elsewhere, named on purpose
        async with http.get(f"{api.url}/_chat/info", headers={"Origin": ELSEWHERE}) as response:
            assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8080"
