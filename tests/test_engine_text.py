"""The engine's notes, refusal reasons and award statuses shown in the reader's language."""

from flask_babel import force_locale

from emulation.engine_text import engine_text, method_label
from emulation.scoring.texts import LISTS, VI, text


def _sample(message_id: str) -> str:
    args = {
        "deadline": "30/08/2024 23:59:59",
        "closes_at": "31/08/2024 00:59:59",
        "band": "Tốt",
        "total": "80",
        "reasons": text("tier.late") + "; " + text("tier.incomplete"),
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
