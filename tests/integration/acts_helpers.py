"""What the tracker's integration tests share: a visitor with their own cookies, tapping."""

from __future__ import annotations

import re
import uuid

from bs4 import BeautifulSoup

from server.acts.models import Act, HeldAct
from tests.integration.app_client import AppClient

CSRF_RE = re.compile(r'"x-csrftoken": "([^"]+)"')
BASE_URL = "http://127.0.0.1:8000"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


class Visitor:
    """One browser: its own cookie jar on the shared app, and the CSRF token its pages carry."""

    def __init__(self, client) -> None:
        self.client = client
        self.token: str | None = None

    @classmethod
    def new(cls, app) -> Visitor:
        # The `client` fixture already runs the app's lifespan; more clients just need cookies.
        return cls(AppClient(app, base_url=BASE_URL))

    async def open_home(self, path: str = "/"):
        response = await self.client.get(path)
        self.token = CSRF_RE.search(response.text).group(1)
        return response

    async def post(self, url: str, data: dict | None = None, htmx: bool = False):
        if self.token is None:
            await self.open_home()
        headers = {"x-csrftoken": self.token}
        if htmx:
            headers["hx-request"] = "true"
        return await self.client.post(url, data=data or {}, headers=headers, follow_redirects=False)

    async def tap(self, htmx: bool = True, **fields):
        fields.setdefault("id", str(uuid.uuid4()))
        return await self.post("/acts", {k: str(v) for k, v in fields.items()}, htmx=htmx)


async def act_count(**filters) -> int:
    return await Act.filter(**filters).count()


async def held_count(**filters) -> int:
    return await HeldAct.filter(**filters).count()
