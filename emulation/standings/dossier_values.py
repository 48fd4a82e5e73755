"""The values frame of a round's counted dossiers, read again only for dossiers that changed.

A dossier's counted values are those of its last submitted version, which is immutable: its
content hash (sha256 over values, points, notes and files) names them. Each dossier's row is
kept under that hash, so after one dossier changed only its values are read again, not the
tens of thousands of values of the whole round.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from itertools import chain

import numpy as np
import pandas as pd

from ..extensions import db
from ..models import Dossier, DossierVersion, IndicatorValue

# A row is a few hundred bytes: enough for the counted dossiers of several large rounds.
ROWS_CACHE_SIZE = 20_000
_ROWS: OrderedDict[tuple, tuple] = OrderedDict()
_LOCK = threading.Lock()
BATCH = 5000


def clear() -> None:
    """Forget every kept row (tests, benchmarks of the cold path)."""
    with _LOCK:
        _ROWS.clear()


def values_frame(round_id: int, key_of: dict[int, str], hash_of: dict[int, str], specs, batches):
    """One row per candidate key, one column per VALUES column; numbers stay float64.

    Float columns let the engine skip parsing text; a column holding any text (a choice, or
    a stray text in a number column, which the engine then reports) becomes an object column.
    `batches(statement, size)` streams plain rows from the database (loading._batches).
    """
    names = [c.name for c in specs]
    # The columns asked for, as one short text: hashed once, not once per dossier.
    shape = hashlib.sha256(repr([(c.name, c.kind) for c in specs]).encode()).hexdigest()
    keys = {d: (d, hash_of[d], shape) for d in key_of}
    with _LOCK:
        known = {d: _ROWS[k] for d, k in keys.items() if k in _ROWS}
        for d in known:
            _ROWS.move_to_end(keys[d])
    missing = [d for d in key_of if d not in known]
    if missing:
        # Most of the round (a server that just started): the whole round in one pass.
        wanted = None if len(missing) * 2 > len(key_of) else missing
        before = _states(round_id, wanted)
        read = _read(round_id, wanted, missing, names, batches)
        after = _states(round_id, wanted)
        with _LOCK:
            for d, row in read.items():
                # Kept only if the dossier did not change while it was read, and is still
                # counted with the version it was asked for.
                state = after.get(d)
                if state is not None and state == before.get(d) and state[2] == hash_of[d]:
                    _ROWS[keys[d]] = row
            while len(_ROWS) > ROWS_CACHE_SIZE:
                _ROWS.popitem(last=False)
        known.update(read)
    rows = [known[d] for d in key_of]
    numbers = np.vstack([r[0] for r in rows]) if rows else np.empty((0, len(names)))
    frame = pd.DataFrame(numbers, columns=names, index=list(key_of.values()))
    texts = {(i, j): text for i, r in enumerate(rows) for j, text in r[1]}
    text_columns = {names[j] for _i, j in texts} | {c.name for c in specs if c.kind == "choice"}
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (i, j), text in texts.items():
        by_column.setdefault(j, []).append((i, text))
    col_of = {name: j for j, name in enumerate(names)}
    for name in text_columns:
        j = col_of[name]
        column = [None if np.isnan(x) else x for x in numbers[:, j].tolist()]
        for i, text in by_column.get(j, ()):
            column[i] = text
        frame[name] = pd.Series(column, index=frame.index, dtype=object)
    return frame


def _read(round_id: int, wanted, missing: list[int], names: list[str], batches) -> dict:
    """(numbers, texts) of each dossier in `missing`; `wanted` None reads the whole round."""
    sealed = db.select(Dossier.id).where(
        Dossier.round_id == round_id, Dossier.status == "submitted"
    )
    which = IndicatorValue.dossier_id.in_(sealed)
    if wanted is not None:
        # Literal ids: these statements are compiled by hand, which cannot expand a list.
        listed = ", ".join(str(int(d)) for d in sorted(wanted))
        which = which & db.text(f"indicator_values.dossier_id IN ({listed})")
    row_of = {d: i for i, d in enumerate(missing)}
    col_of = {name: j for j, name in enumerate(names)}
    numbers = np.full((len(missing), len(names)), np.nan)
    texts: dict[int, list[tuple[int, str]]] = {}
    # Numbers a batch at a time (holding every row at once makes the garbage collector sweep
    # the heap), placed by numpy: the row through an array indexed by dossier id, the column
    # through a pandas index.
    rows = np.full(max(missing) + 1, -1, dtype=np.int64)
    rows[missing] = np.arange(len(missing))
    columns = pd.Index(names)
    statement = db.select(IndicatorValue.dossier_id, IndicatorValue.column, IndicatorValue.value)
    for batch in batches(statement.where(which, IndicatorValue.text_value.is_(None)), BATCH):
        dossier_ids, column_names, values = zip(*batch, strict=True)
        d = np.array(dossier_ids, dtype=np.int64)
        i = np.where(d < len(rows), rows[np.minimum(d, len(rows) - 1)], -1)
        j = columns.get_indexer(column_names)
        number = np.array(values, dtype=float)
        numeric = (i >= 0) & (j >= 0) & ~np.isnan(number)
        numbers[i[numeric], j[numeric]] = number[numeric]
    # Texts are few (choices); a returned dossier's values come from its last version.
    texted = chain.from_iterable(
        batches(
            statement.add_columns(IndicatorValue.text_value).where(
                which, IndicatorValue.text_value.is_not(None)
            ),
            BATCH,
        )
    )
    for dossier_id, column, value, text in chain(texted, _returned_values(round_id)):
        i, j = row_of.get(dossier_id, -1), col_of.get(column, -1)
        if i < 0 or j < 0:
            continue
        if text is not None:
            texts.setdefault(i, []).append((j, text))
            numbers[i, j] = np.nan
        elif value is not None and not np.isnan(value):
            numbers[i, j] = value
    return {d: (numbers[i].copy(), tuple(texts.get(i, ()))) for d, i in row_of.items()}


def _states(round_id: int, wanted) -> dict[int, tuple]:
    """(status, lock, latest version's hash) of the counted dossiers (those in `wanted`)."""
    latest = (
        db.select(DossierVersion.dossier_id, db.func.max(DossierVersion.number).label("number"))
        .join(Dossier, DossierVersion.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_id)
        .group_by(DossierVersion.dossier_id)
        .subquery()
    )
    statement = (
        db.select(Dossier.id, Dossier.status, Dossier.lock_version, DossierVersion.content_hash)
        .join(latest, latest.c.dossier_id == Dossier.id)
        .join(
            DossierVersion,
            (DossierVersion.dossier_id == Dossier.id) & (DossierVersion.number == latest.c.number),
        )
        .where(Dossier.round_id == round_id, Dossier.status.in_(("submitted", "returned")))
    )
    if wanted is not None:
        statement = statement.where(Dossier.id.in_(wanted))
    return {d: (status, lock, digest) for d, status, lock, digest in db.session.execute(statement)}


def _returned_values(round_id: int) -> Iterator[tuple]:
    """(dossier id, column, number, text) from the last submitted version of returned dossiers.

    While a unit answers a request for supplement its draft changes; the ranking keeps the
    values the council was sent until the unit submits again.
    """
    latest = (
        db.select(DossierVersion.dossier_id, db.func.max(DossierVersion.number).label("number"))
        .join(Dossier, DossierVersion.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_id, Dossier.status == "returned")
        .group_by(DossierVersion.dossier_id)
        .subquery()
    )
    versions = db.session.execute(
        db.select(DossierVersion.dossier_id, DossierVersion.payload).join(
            latest,
            (DossierVersion.dossier_id == latest.c.dossier_id)
            & (DossierVersion.number == latest.c.number),
        )
    )
    for dossier_id, payload in versions:
        for column, value in payload.get("values", {}).items():
            if isinstance(value, str):
                yield dossier_id, column, None, value
            else:
                yield dossier_id, column, value, None
