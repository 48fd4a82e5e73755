"""The ranking reuses the engine's result only for exactly the same inputs."""

import numpy as np

from emulation.scoring import loads_rules, score
from emulation.standings import scored
from tests.scoring.synthetic import synthetic_rules_text, synthetic_values


def _totals(result):
    return result.table.set_index("unit_code")["total"].to_dict()


def test_same_inputs_reuse_the_result_and_any_change_scores_again():
    rules = loads_rules(synthetic_rules_text(12), source="cache.toml")
    frame = synthetic_values(rules, 40, seed=3)
    on_time = [True] * len(frame)
    scored.clear()
    first, _memo = scored.scored(rules, "h", frame, on_time=on_time)
    again, _memo = scored.scored(rules, "h", frame.copy(), on_time=on_time)
    assert again is first
    changed = frame.copy()
    # a larger denominator: a smaller ratio, fewer points
    changed.loc[0, "I000_b"] = np.nan_to_num(changed.loc[0, "I000_b"]) * 10 + 10
    other, _memo = scored.scored(rules, "h", changed, on_time=on_time)
    assert other is not first and _totals(other) != _totals(first)
    assert _totals(other) == _totals(score(rules, changed, on_time=on_time))
    late, _memo = scored.scored(rules, "h", frame, on_time=[False] + on_time[1:])
    assert late is not first
    assert scored.scored(rules, "other rules", frame, on_time=on_time)[0] is not first
