"""Brotli responses free their encoder as soon as the body is done (see server/compression.py)."""

from __future__ import annotations

from io import BytesIO

import brotli

from server.compression import ReleasingBrotliCompression, compression_config


def test_brotli_body_is_complete_and_the_encoder_is_released():
    config = compression_config()
    assert config.compression_facade is ReleasingBrotliCompression
    buffer = BytesIO()
    facade = config.compression_facade(buffer, "br", config)
    body = b"<p>A small kindness lifts the giver too.</p>" * 50
    facade.write(body)
    facade.close()
    assert facade.compressor is None
    facade.close()  # closing twice (a disconnect after the body) is harmless
    assert brotli.decompress(buffer.getvalue()) == body
