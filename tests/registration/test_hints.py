"""The registration says who acts next: the editor learns the head confirms; the head is told."""

from .conftest import BEFORE
from .test_registration import FORM, url


def test_editor_is_told_the_head_must_confirm_and_the_head_that_it_awaits_them(
    world, client, auth, set_now
):
    set_now(BEFORE)
    auth.login(world.editor)
    page = client.get(url(world)).get_data(as_text=True)
    assert 'data-hint="editor"' in page and "thủ trưởng đơn vị phải xác nhận" in page
    client.post(url(world), data=FORM)
    home = client.get("/").get_data(as_text=True)
    assert 'data-hint="editor"' in home and 'data-hint="head"' not in home
    auth.logout()
    auth.login(world.head)
    home = client.get("/").get_data(as_text=True)
    assert 'data-hint="head"' in home and "chờ đồng chí" in home
    page = client.get(url(world)).get_data(as_text=True)
    assert 'data-hint="head"' in page
    client.post(url(world, action="confirm"))
    assert 'data-hint="head"' not in client.get(url(world)).get_data(as_text=True)
    assert 'data-hint="head"' not in client.get("/").get_data(as_text=True)
