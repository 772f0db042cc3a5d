"""The registration draft and its validators, without Telegram."""

from bot.registration import SUMMARY, Draft, clean_name, clean_phone, clean_short_text, next_step


def test_steps_in_order_then_summary():
    d = Draft(consent=True)
    order = []
    answers = {
        "name": ("name", "Ana Quispe"),
        "cargo": ("cargo", "Gerente"),
        "level": ("level", "distrital"),
        "place": ("place_code", "150103"),
        "institution": ("institution", "Municipalidad Distrital de Ate"),
    }
    while (step := next_step(d)) != SUMMARY:
        order.append(step)
        if step == "phone":
            d.phone_done = True
        elif step == "place":
            d.place_code = "150103"
        else:
            setattr(d, *answers[step])
    assert order == ["name", "cargo", "level", "place", "institution", "phone"]


def test_clearing_a_field_asks_only_that_again():
    d = Draft("Ana", "Gerente", "distrital", "150103", "Muni", None, True, True)
    assert next_step(d) == SUMMARY
    d.clear("cargo")
    assert next_step(d) == "cargo"
    d.cargo = "Subgerente"
    assert next_step(d) == SUMMARY
    d.clear("place")
    assert (d.level, d.place_code) == (None, None)
    assert next_step(d) == "level"
    d.clear("phone")
    d.level, d.place_code = "distrital", "150103"
    assert next_step(d) == "phone"


def test_draft_round_trips_through_a_dict_and_ignores_unknown_keys():
    d = Draft(name="Ana", consent=True)
    data = d.to_dict() | {"from_an_older_version": 1}
    assert Draft.from_dict(data) == d
    assert Draft.from_dict(None) == Draft()


def test_names():
    assert clean_name("  maría   QUISPE  huamán ") == "María Quispe Huamán"
    assert clean_name("MARIA QUISPE") == "Maria Quispe"
    assert clean_name("José-Luis O'Neill") == "José-Luis O'Neill"
    assert clean_name("Ñusta Mamani") == "Ñusta Mamani"
    for bad in ("", "ab", "12345", "Ana 2", "😀😀😀", "a" * 81, "hola?", "ana", "cancelar"):
        assert clean_name(bad) is None, bad


def test_short_texts():
    expected = "Subgerente de Desarrollo Social"
    assert clean_short_text(" Subgerente  de Desarrollo Social ") == expected
    assert clean_short_text("123") is None
    assert clean_short_text("x" * 81) is None
    assert clean_short_text("x" * 100, max_len=120) == "x" * 100


def test_phones():
    assert clean_phone("51 987 654 321") == "+51987654321"
    assert clean_phone("+51987654321") == "+51987654321"
    assert clean_phone("abc") is None


def test_name_particles_stay_lower_case():
    assert clean_name("ROSA DE LA CRUZ") == "Rosa de la Cruz"
    assert clean_name("josé-luis pérez") == "José-Luis Pérez"


def test_typed_words_at_button_steps():
    from bot.registration import consent_word, level_word

    assert consent_word("Acepto") is True and consent_word("si") is True
    assert consent_word("no acepto") is False
    assert consent_word("tal vez") is None
    assert level_word("Nivel Distrital") == "distrital" and level_word("departamental") is None


def test_a_typed_answer_is_stored_only_when_valid():
    from bot.registration import Draft, give

    draft = Draft()
    assert not give(draft, "name", "ana") and draft.name is None  # one word is not a full name
    assert give(draft, "name", "ana torres") and draft.name == "Ana Torres"
    assert give(draft, "institution", "Municipalidad Distrital de Ate " * 3)
    assert not give(draft, "cargo", "x" * 81)


def test_lima_metropolitana_is_one_institution():
    from bot.messages import default_messages
    from bot.places import PlaceIndex
    from bot.registration import default_institution

    places = PlaceIndex.load()
    m = default_messages()
    cercado, ate = places.get("distrital", "150101"), places.get("distrital", "150103")
    assert default_institution(cercado, m) == m("institucion_lima_metropolitana")
    assert "Ate" in default_institution(ate, m)
