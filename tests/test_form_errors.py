"""Refused forms, as assistive technology meets them: each refused field is marked invalid and
names its error (aria-describedby), and the page lists the errors in an alert linking to them.
"""

import re

from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, StringField
from wtforms.validators import DataRequired


def _tag(body: str, element_id: str) -> str:
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{element_id}"[^>]*>', body)
    assert match, f"no element #{element_id}"
    return match.group(0)


def test_a_refused_field_names_its_error_and_the_page_announces_it(client):
    response = client.post("/login", data={"username": "", "password": "x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    field = _tag(body, "username")
    assert 'aria-invalid="true"' in field and 'aria-describedby="username-err"' in field
    error = re.search(r'<p class="field-error" id="username-err">([^<]*)</p>', body)
    assert error and error.group(1) == "Vui lòng nhập tên đăng nhập."
    summary = re.search(r'<div[^>]*role="alert"[^>]*data-error-summary>(.*?)</div>', body, re.S)
    assert summary, "no error summary in an alert"
    assert '<a href="#username">Tên đăng nhập</a>: Vui lòng nhập tên đăng nhập.' in summary.group(1)
    # The password was accepted: not marked, not listed.
    assert "aria-invalid" not in _tag(body, "password")
    assert "#password" not in summary.group(1)


def test_a_page_without_errors_has_no_summary_and_no_marks(client):
    body = client.get("/login").get_data(as_text=True)
    assert "data-error-summary" not in body and "aria-invalid" not in body


class _Line(FlaskForm):
    class Meta:
        csrf = False

    amount = IntegerField("Amount", validators=[DataRequired("Give the amount.")])


class _Mixed(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Title", validators=[DataRequired("Give a title.")])
    lines = FieldList(FormField(_Line), min_entries=1)


def test_the_summary_lists_plain_fields_and_survives_nested_ones(app):
    """A list of subforms has errors per entry (not texts): its line links to it, untexted."""
    with app.test_request_context(method="POST", data={"title": "", "lines-0-amount": ""}):
        form = _Mixed()
        assert not form.validate()
        html = render_template_string(
            '{% from "macros.html" import error_summary, field %}'
            "{{ error_summary(form) }}{{ field(form.title, hint='Short.') }}",
            form=form,
        )
    assert '<a href="#title">Title</a>: Give a title.' in html
    assert '<a href="#lines">Lines</a>' in html and "{'amount'" not in html
    title = _tag(html, "title")
    assert 'aria-describedby="title-hint title-err"' in title and 'aria-invalid="true"' in title
