"""Password policy: long enough, not the username, and strong by the zxcvbn estimator.

zxcvbn knows English words, names, keyboard walks, sequences, dates and leaked passwords;
the Vietnamese words people build passwords from and the agency's own names are added as
extra dictionary words, so 'matkhau@2026' or 'vksnd-danang' count as guessable.
"""

import re
import unicodedata
from contextlib import nullcontext

from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline attack"
# zxcvbn refuses to estimate more than 72 characters (its time grows with length); a longer
# password is judged by its first 72, which are already far beyond guessing if varied.
ESTIMATE_LIMIT = 72
_WORDS = """
matkhau mat khau thidua thi dua khenthuong khen thuong vietnam viet nam hanoi danang
haiphong saigon hochiminh cantho hue dongnai vksnd vienkiemsat kiemsat nhandan toaan
congan uyban ubnd hoidong thuky canbo donvi phongtrao chuyendoiso xinchao anhyeuem
emyeuanh yeuem yeuanh doclap tudo hanhphuc tuquoc quehuong giadinh ban be hocsinh nguyen
tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly anh minh huong linh trang
thanh hung dung tuan long hai nam lan mai hoa hong ngoc phuong thao quang son duc trung
hieu thu ha vy khanh bao chau tam tien phuc loc tho an binh
"""
VIETNAMESE_WORDS = tuple(_WORDS.split())


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics: 'Đà Nẵng' → 'da nang'."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def agency_words() -> list[str]:
    """Words of the agency's own names (movements' organisations), each alone and joined."""
    if not has_app_context():
        return []
    from ..extensions import db
    from ..models import Movement

    configured = current_app.config.get("AGENCY_NAMES") or []
    names = list(configured) + list(
        db.session.execute(db.select(Movement.organisation).distinct()).scalars()
    )
    words = []
    for name in names:
        parts = re.findall(r"[a-z0-9]+", fold(name or ""))
        words += parts + ["".join(parts)]
        if len(parts) > 1:
            words.append("".join(p[0] for p in parts))  # the initials: VKSND, UBND
    return [w for w in words if len(w) >= 2]


def check_password_policy(password: str, username: str, *, full_name: str = "") -> list[str]:
    """Every reason `password` is refused for `username` (translated); empty when acceptable."""
    # Outside a request (the CLI) there is no user's language: answer in English like the CLI.
    with nullcontext() if has_request_context() else force_locale("en"):
        problems = []
        if len(password) < MIN_LENGTH:
            problems.append(_("The password must be at least %(n)s characters long.", n=MIN_LENGTH))
        lowered = password.casefold()
        name = (username or "").strip().casefold()
        if name and (lowered == name or (len(name) >= 3 and name in lowered)):
            problems.append(_("The password must not contain the username."))
        elif len(password) >= MIN_LENGTH and not _strong(password, username, full_name):
            problems.append(_("This password is too common or too easy to guess; choose another."))
        return [str(p) for p in problems]


def _strong(password: str, username: str, full_name: str) -> bool:
    # Imported here: its dictionaries take 12 MB, which a process that never sets a password
    # (a report worker, a command) should not carry.
    from zxcvbn import zxcvbn

    inputs = [username, *fold(full_name).split(), *VIETNAMESE_WORDS, *agency_words()]
    result = zxcvbn(password[:ESTIMATE_LIMIT], user_inputs=[w for w in inputs if w])
    return result["score"] >= MIN_SCORE
