"""The fast formatter of big tables writes every number exactly as the `num` filter does."""

import numpy as np
import pytest
from flask import session

from emulation.council.numbers import number_formatter
from emulation.timefmt import format_number


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_same_text_as_the_num_filter(app, lang):
    rng = np.random.default_rng(7)
    values = [0, 0.0, -0.0, 1, -1, 2.5, 8.885, 1234.5, 1e6, 99.99995, 0.00004, -0.00004, 12345678.9]
    values += [
        round(float(x), int(d))
        for x, d in zip(rng.normal(0, 1000, 3000), rng.integers(0, 7, 3000), strict=True)
    ]
    values += list(rng.random(1000) * 100) + [None, "—"]
    with app.test_request_context("/"):
        session["lang"] = lang
        fmt = number_formatter()
        assert [fmt(v) for v in values] == [format_number(v) for v in values]
