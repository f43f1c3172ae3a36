"""The one normal form under which every alias, place name and query is compared."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_name(text: str) -> str:
    """Casefold, drop diacritics and punctuation, collapse spaces: `BM-27 “Uragan”` -> `bm 27 uragan`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()
