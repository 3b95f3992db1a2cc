"""Markup kept with stand-ins for each request's values (`placeholder`, `cut_at`): the signed-in
header, the dashboard around its page block and the check-in's own-trend section are cut this way.
A template that no longer holds each value once, in order, must fail loudly rather than put a
name, token or score in the wrong place."""

import pytest

from mentoring.core.templating import cut_at, placeholder


def test_markup_is_cut_around_each_value_in_order():
    name, token = placeholder("name"), placeholder("token")
    assert name != placeholder("name") and name.startswith("name-")
    html = f"<p>Signed in as {name}</p><input value='{token}'>"
    assert cut_at(html, (name, token), "header") == (
        "<p>Signed in as ",
        "</p><input value='",
        "'>",
    )


@pytest.mark.parametrize(
    "html",
    [
        "<p>{name}</p>",
        "<p>{token} {name}</p>",
        "<p>{name} {name} {token}</p>",
        "{name}{token}{token}",
    ],
)
def test_a_value_missing_repeated_or_out_of_order_is_an_error(html):
    name, token = placeholder("name"), placeholder("token")
    with pytest.raises(RuntimeError, match="header must hold each of its values once, in order"):
        cut_at(html.format(name=name, token=token), (name, token), "the header")
