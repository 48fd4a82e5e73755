"""A confirmation step for consequential actions, without script: a page that posts again."""

from flask import render_template, request


def confirmed() -> bool:
    """Whether the request comes from the confirmation page."""
    return request.form.get("confirmed") == "1"


def confirmation_page(
    *,
    title: str,
    question: str,
    button: str,
    cancel_url: str,
    details: list[str] | tuple = (),
    action: str | None = None,
    fields: list[tuple[str, str]] | None = None,
    danger: bool = False,
):
    """A page asking to confirm; its form posts the same fields again with `confirmed=1`."""
    if fields is None:
        fields = [(k, v) for k, values in request.form.lists() for v in values if k != "confirmed"]
    return render_template(
        "confirm.html",
        title=title,
        question=question,
        button=button,
        cancel_url=cancel_url,
        details=details,
        action=action or request.path,
        fields=fields,
        danger=danger,
    )
