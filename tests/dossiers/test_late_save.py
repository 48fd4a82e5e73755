"""A save or submission that reaches the server after the deadline says when the deadline was."""

import re
from datetime import timedelta

from . import test_pages
from .test_pages import DEADLINE, _lock, _start

# The dossier pages' fixtures: a movement from the small rule file, three days before its deadline.
clock, setup = test_pages.clock, test_pages.setup


def test_a_late_save_names_the_deadline_and_the_servers_time(client, auth, setup, set_now):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    lock = _lock(client, dossier_id)
    # Past the 60-minute grace period of the small rule file.
    set_now(DEADLINE + timedelta(hours=2))
    for action, submitted in (("", False), ("submit", True)):
        response = client.post(
            f"/dossiers/{dossier_id}/edit",
            data={"lock_version": lock, "v_HOP": "3", "action": action},
            follow_redirects=True,
        )
        page = response.get_data(as_text=True)
        flash = re.search(r'class="flash flash-error">([^<]*)<', page).group(1)
        assert "23:59:59 ngày 30/08/2024" in flash  # the deadline
        assert "01:59:59 ngày 31/08/2024" in flash  # when the server received it
        assert ("Không nhận hồ sơ" in flash) is submitted
