"""Excel's own limits, and the chunk size every streamed read and copy uses."""

from __future__ import annotations

CHUNK = 1 << 20
MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_TEXT = 32_767
