"""Devices heal themselves: a page asks at every start whether the server still sends to its
subscription, a renewed subscription replaces the browser's earlier one, and a new VAPID key
(`vapid --rotate`) marks every device for renewal instead of pushing to it in vain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.identity.models import Account
from server.reminders import push, service, vapid
from server.reminders.models import PushSubscription
from server.settings import Settings, SettingsError
from tests.integration.push_receiver import PushService
from tests.integration.support import send_json, sign_in_as

CHECK = "/reminders/subscription/check"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def state(client, endpoint) -> str:
    response = await send_json(client, "POST", {"endpoint": endpoint}, path=CHECK)
    assert response.status_code == 200
    return response.json()["state"]


async def test_a_page_learns_whether_the_server_still_sends_to_it(client):
    account = await sign_in_as(client)
    with PushService() as receiver:
        device = receiver.device("phone")
        endpoint = device["endpoint"]
        assert await state(client, endpoint) == "absent"  # not stored (or removed): stays off
        assert (await send_json(client, "POST", device)).status_code == 201
        assert await state(client, endpoint) == "live"

        # Gone (its push service said 410): the page must renew it.
        await PushSubscription.filter(endpoint=endpoint).update(gone_at=NOW)
        assert await state(client, endpoint) == "gone"

        # Another reader on this browser: a new subscription of their own is needed.
        await PushSubscription.filter(endpoint=endpoint).update(gone_at=None)
        await sign_in_as(client)
        assert await state(client, endpoint) == "elsewhere"
        await sign_in_as(client, account)
        assert await state(client, endpoint) == "live"

    # Nobody signed in: the page changes nothing (and no account is made by asking).
    client.cookies.clear()
    accounts = await Account.all().count()
    assert await state(client, endpoint) == "unknown"
    assert await Account.all().count() == accounts

    bad = await send_json(client, "POST", {"endpoint": "not a url"}, path=CHECK)
    assert bad.status_code == 422 and "error" in bad.json()


async def test_a_renewed_subscription_replaces_the_browsers_earlier_one(client):
    account = await sign_in_as(client)
    with PushService() as receiver:
        old, new, theirs = receiver.device("old"), receiver.device("new"), receiver.device("x")
        assert (await send_json(client, "POST", old)).status_code == 201
        renewed = {**new, "replaces": old["endpoint"]}
        assert (await send_json(client, "POST", renewed)).status_code == 201
        mine = await PushSubscription.filter(account_id=account.id).values_list("endpoint")
        assert mine == [(new["endpoint"],)]

        # "replaces" never reaches another account's device.
        await sign_in_as(client)
        assert (await send_json(client, "POST", theirs)).status_code == 201
        await sign_in_as(client, account)
        sneaky = {**receiver.device("y"), "replaces": theirs["endpoint"]}
        assert (await send_json(client, "POST", sneaky)).status_code == 201
        assert await PushSubscription.filter(endpoint=theirs["endpoint"]).exists()

    refused = await send_json(client, "POST", {**old, "replaces": ["x"]})
    assert refused.status_code == 422


async def test_rotating_the_key_marks_every_device_for_renewal(client, tmp_path):
    account = await sign_in_as(client)
    with PushService() as receiver:
        for name in ("phone", "tablet"):
            assert (await send_json(client, "POST", receiver.device(name))).status_code == 201
    settings = Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path)})
    before = vapid.public_key(vapid.load(settings))
    after = vapid.public_key(vapid.rotate(settings))
    assert after != before and vapid.public_key(vapid.load(settings)) == after
    assert (tmp_path / vapid.FILENAME).stat().st_mode & 0o777 == 0o600

    assert await service.renew_all(NOW, push.RENEW) == 2
    devices = await service.devices(account)
    assert [d.live for d in devices] == [False, False]
    assert {d.last_error for d in devices} == {push.RENEW}
    assert await service.subscriptions_of(str(account.id)) == []

    kept = Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path), "LIFTED_VAPID_PRIVATE_KEY": "x"})
    with pytest.raises(SettingsError, match="lives in your environment"):
        vapid.rotate(kept)
