"""The engine's result for exactly the same inputs, reused instead of scored again.

A council member reloads the ranking page many times while nothing changes. The key is the
full content of what the engine is given (the values frame, the council's points, the rule
file's hash, the round and the lateness flags), serialised with pickle and hashed: equal
keys mean equal inputs, so a hit is exactly the result scoring again would give. Results
are read, never modified, by their users.
"""

import hashlib
import pickle
import threading
from collections import OrderedDict

import pandas as pd

from ..scoring import score

CACHE_SIZE = 4
_CACHE: OrderedDict[str, list] = OrderedDict()
_LOCK = threading.Lock()


def _key(rules_hash: str, frame: pd.DataFrame, combined, round_code, on_time) -> str:
    digest = hashlib.sha256(rules_hash.encode())
    payload = (frame, combined, round_code, tuple(on_time))
    digest.update(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    return digest.hexdigest()


def scored(rules, rules_hash: str, frame, *, manual_points=None, round_code=None, on_time):
    """(engine result, a box for its records) for these inputs: cached, else scored now."""
    key = _key(rules_hash, frame, manual_points, round_code, on_time)
    with _LOCK:
        entry = _CACHE.get(key)
        if entry is not None:
            _CACHE.move_to_end(key)
            return entry
    result = score(rules, frame, manual_points=manual_points, round_code=round_code,
                   on_time=on_time)  # fmt: skip
    entry = [result, {}]
    with _LOCK:
        _CACHE[key] = entry
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return entry


def clear() -> None:
    """Forget every cached result (tests, benchmarks of the cold path)."""
    with _LOCK:
        _CACHE.clear()
