"""A bounded cache of rendered items: one pixmap per item (its latest version only), least
recently painted dropped first. A 204×96 tile is ~78 KB; keeping every version of 2,000 agents
would grow without end over a shift, while only the tiles on screen are ever repainted."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from PySide6.QtGui import QPixmap


class PixmapCache:
    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self._items: OrderedDict[Hashable, tuple[Hashable, QPixmap]] = OrderedDict()

    def get(self, item: Hashable, variant: Hashable) -> QPixmap | None:
        entry = self._items.get(item)
        if entry is None or entry[0] != variant:
            return None
        self._items.move_to_end(item)
        return entry[1]

    def put(self, item: Hashable, variant: Hashable, pixmap: QPixmap) -> None:
        self._items[item] = (variant, pixmap)
        self._items.move_to_end(item)
        while len(self._items) > self.max_items:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
