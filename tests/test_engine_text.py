"""The engine's notes, refusal reasons and award statuses shown in the reader's language."""

from pathlib import Path

from flask_babel import force_locale

from emulation.engine_text import engine_text, method_label
from emulation.scoring import load_rules
from emulation.scoring.explain import rounding_text
from emulation.scoring.ranking import tie_policy_text
from emulation.scoring.texts import LISTS, VI, text

RULES_DIR = Path(__file__).parents[1] / "scoring_rules"


def _sample(message_id: str) -> str:
    args = {
        "deadline": "30/08/2024 23:59:59",
        "closes_at": "31/08/2024 00:59:59",
        "band": "Tốt",
        "total": "80",
        "reasons": text("tier.late") + "; " + text("tier.incomplete"),
        "where": text("tie.where_overall"),
        "scope": text("tie.scope_cluster") + " và " + text("tie.scope_kind"),
        "steps": text("tie.by_bonus") + ", rồi " + text("tie.by_group", name="A; B"),
        "name": "Nhóm A",
        "decimals": "2",
        "index_decimals": "4",
    }
    needed = {k: v for k, v in args.items() if "{" + k + "}" in VI[message_id]}
    return text(message_id, **needed)


def test_every_engine_message_is_in_the_catalogue(app):
    with app.test_request_context():
        for message_id in VI:
            sample = _sample(message_id)
            with force_locale("vi"):
                assert engine_text(sample) == sample, message_id
            with force_locale("en"):
                english = engine_text(sample)
            assert english != sample, message_id
            if message_id in LISTS:
                assert "dossier submitted late; dossier or data incomplete" in english


def test_rule_authors_words_and_joined_reasons(app):
    late = text("late.refused_no_grace", deadline="30/08/2024 23:59:59")
    with app.test_request_context(), force_locale("en"):
        assert engine_text("Để xảy ra sự cố an toàn thông tin") == (
            "Để xảy ra sự cố an toàn thông tin"
        )
        assert engine_text(f"Điểm liệt; {late}") == (
            "Điểm liệt; Submitted late (deadline 30/08/2024 23:59:59)"
        )
        assert method_label("steps") == "by level reached" and engine_text(None) == ""


def test_evidence_refusals_come_from_the_catalogue(app):
    from emulation.evidence.errors import _REASONS, _TEMPLATES, MIB, refusal
    from emulation.evidence.messages import refusal_text

    params = {
        "limit": 20 * MIB, "size": 300 * MIB, "label": "DOCX", "ext": ".pdf", "claimed": "PDF",
        "actual": "PDF", "expected": ".pdf", "count": 5018, "max_entries": 5000,
        "entry": "xl/media/zeros.bin", "ratio": 1000,
    }  # fmt: skip
    needs_reason = {"zip_bomb", "corrupt"}
    cases = [(t, None) for t in _TEMPLATES if t not in needs_reason]
    cases += [(t, r) for t in needs_reason for r in _REASONS]
    with app.test_request_context():
        for template, reason in cases:
            refused = refusal(template, "Báo cáo.pdf", reason, **params)
            with force_locale("vi"):
                assert refusal_text(refused) == refused.message_vi, (template, reason)
            with force_locale("en"):
                assert refusal_text(refused) == refused.message_en, (template, reason)


def test_tie_policy_and_rounding_of_the_shipped_rules_in_english(app):
    rules = load_rules(RULES_DIR / "vksnd_danang_cds_2023_2025.toml")
    with app.test_request_context(), force_locale("en"):
        tie = engine_text(tie_policy_text(rules))
        rounding = engine_text(rounding_text(rules))
        assert engine_text(text("tier.total_below", total="80") + "; " + text("tier.late")) == (
            "total below 80; dossier submitted late"
        )
    assert tie.startswith("Ranked by total points, highest first, within each cluster and overall;")
    assert "in turn: more points in group 'Chỉ số ứng dụng CNTT của Ngành; bảo mật" in tie
    assert "cao hơn" not in tie and "Đối tượng" not in tie
    assert rounding.startswith("Each indicator's points are rounded to 2 decimals")
