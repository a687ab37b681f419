"""Drop-down lists in forms are NHS.UK selects (full size, labelled, described), and keep the
choice made when a form comes back with an error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.html import elements, parse, text_of

pytestmark = pytest.mark.django_db


def therapy_select(page):
    [select] = [s for s in elements(parse(page), "select") if s.get("name") == "therapy_completed"]
    return select


def test_the_invitation_forms_select_is_an_nhs_select(client_for, people):
    select = therapy_select(client_for(people["clinician"]).get(reverse("invitation_create")))
    assert select.get("class") == "nhsuk-select"
    assert select.get("id") == "id_therapy_completed"
    options = elements(select, "option")
    assert [o.get("value") for o in options][:2] == ["", "dit"]
    assert text_of(options[0]) == "Not given"
    assert [o.get("value") for o in options if o.get("selected") is not None] == [""]


def test_the_choice_survives_an_error(client_for, people):
    page = client_for(people["clinician"]).post(reverse("invitation_create"), {
        "role": "member", "therapy_completed": "cbt", "valid_days": "14"})  # no space chosen
    assert page.status_code == 400
    select = therapy_select(page)
    assert [o.get("value") for o in elements(select, "option")
            if o.get("selected") is not None] == ["cbt"]
