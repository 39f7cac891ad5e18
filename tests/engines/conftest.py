"""Fixtures for the cross-engine smoke: one Firefox ESR and one WebKitGTK session per module,
each with its own Lifted server (so a test may stop and start it). Under CI a missing engine
fails the run (tests/conftest.py turns every skip into a failure)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LiveServer
from tests.engines.drivers import ENGINES, missing


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine(request):
    why = missing(request.param)
    if why:
        pytest.skip(f"{request.param}: {why}")
    browser = ENGINES[request.param]()
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def server(engine, tmp_path_factory):
    """A server for this engine's session: a fresh reader, a fresh database."""
    live = LiveServer(tmp_path_factory.mktemp(f"{engine.name}-server")).start()
    yield live
    live.stop()


@pytest.fixture
def up(engine, server):
    """The server, started again if a test stopped it and then failed; and the engine's error
    log emptied, so each test answers only for the errors of its own steps."""
    if server.process is None or server.process.poll() is not None:
        server.start()
    engine.errors()
    return server
