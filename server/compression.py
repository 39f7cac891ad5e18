"""Response compression: brotli, with gzip for clients that lack it.

Works around a memory growth in Litestar 2.25's brotli facade: it keeps each response's
``brotli.Compressor`` (hundreds of KB of native state) until the facade is garbage-collected,
and the facade sits in a reference cycle with its send wrapper, so the states pile up between
the collector's rare full passes. The soak test (tests/quality/test_soak.py) saw a worker grow
from 300 MB to 440 MB in 75 s. Letting the compressor go as soon as the body is finished keeps
the worker flat; gzip's facade already frees its state when it finishes.
"""

from __future__ import annotations

from litestar.config.compression import CompressionConfig
from litestar.middleware.compression.brotli_facade import BrotliCompression


class ReleasingBrotliCompression(BrotliCompression):
    """Brotli that frees its encoder the moment the response body is complete."""

    def close(self) -> None:
        if self.compressor is None:
            return
        super().close()
        self.compressor = None


def compression_config() -> CompressionConfig:
    # Under 1 KB (a tap's answer, other htmx fragments), compressing saves a few hundred bytes
    # of a response that goes out in one packet either way, and costs the worker more than the
    # rest of the fragment's rendering (bench, per tap: ~60 µs of brotli).
    config = CompressionConfig(backend="brotli", brotli_gzip_fallback=True, minimum_size=1024)
    config.compression_facade = ReleasingBrotliCompression
    return config
