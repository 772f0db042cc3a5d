"""/start, registration, /perfil, /borrar_mis_datos and /cancelar.

Each step is one small function; `ask_next` asks whatever `bot.registration.next_step` says is
missing, so corrections reuse the same steps and lead back to the summary.
"""

from __future__ import annotations

import warnings
from html import escape

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import registration_actions
from bot.places import Place
from bot.registration import (
    SUMMARY,
    Draft,
    clean_peru_phone,
    clean_phone,
    consent_word,
    default_institution,
    give,
    level_word,
    looks_like_phone,
    next_step,
    phone_display,
    place_line,
)
from bot.registration_actions import place_choices
from handlers.common import (
    CANCEL_WORDS,
    LEAVING_COMMANDS,
    MAX_STEP_TEXT,
    button_label,
    cb,
    cb_parts,
    close_buttons,
    crisis_step,
    delete_ask,
    describe_unexpected,
    keyboard,
    repeat_after,
    say_resuming,
    send,
    stale_button,
    svc,
)

# Conversation states: the step names of bot.registration plus the two that are not data.
CONSENT, NAME, CARGO, LEVEL, PLACE, INSTITUTION, PHONE = (
    "consent", "name", "cargo", "level", "place", "institution", "phone"
)
EDIT = "edit"
END = ConversationHandler.END

DRAFT_KEY = "registration"
EDITABLE = ("name", "cargo", "place", "institution", "phone")
FIELD_LABEL = {
    "name": "campo_nombre",
    "cargo": "campo_cargo",
    "place": "campo_lugar",
    "institution": "campo_institucion",
    "phone": "campo_telefono",
}


# --- helpers -------------------------------------------------------------------------------


def get_draft(context: ContextTypes.DEFAULT_TYPE) -> Draft:
    return Draft.from_dict(context.user_data.get(DRAFT_KEY))


def put_draft(context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> None:
    context.user_data[DRAFT_KEY] = draft.to_dict()


def drop_draft(context: ContextTypes.DEFAULT_TYPE) -> None:
    context.user_data.pop(DRAFT_KEY, None)


def place_of(context, draft: Draft) -> Place | None:
    if draft.level is None or draft.place_code is None:
        return None
    return svc(context).places.get(draft.level, draft.place_code)


def consent_buttons(context) -> list:
    m = svc(context).messages
    return [[
        (m("boton_acepto"), cb("reg", "consent", "yes")),
        (m("boton_no_acepto"), cb("reg", "consent", "no")),
    ]]


def instancia_label(context, place: Place) -> str:
    return svc(context).messages(f"instancia_{place.level}", lugar=place.name)


def profile_values(context, draft: Draft) -> dict[str, str]:
    m = svc(context).messages
    place = place_of(context, draft)
    return {
        "nombre": escape(draft.name or ""),
        "cargo": escape(draft.cargo or ""),
        "institucion": escape(draft.institution or ""),
        "instancia": escape(instancia_label(context, place)) if place else "",
        "lugar": escape(place_line(place, m)) if place else "",
        "telefono": escape(phone_display(draft.phone)) if draft.phone else m("sin_telefono"),
    }


# --- asking ----------------------------------------------------------------------------------


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE, state: str) -> str:
    """Send the question of a state and return that state."""
    m = svc(context).messages
    draft = get_draft(context)
    if state == CONSENT:
        await send(update, context, m("consentimiento"), keyboard([
            *consent_buttons(context),
            [(m("boton_consentimiento_detalle"), cb("reg", "consent", "details"))],
        ]))
    elif state == NAME:
        await send(update, context, m("pedir_nombre"))
    elif state == CARGO:
        await send(update, context, m("pedir_cargo"))
    elif state == LEVEL:
        await send(update, context, m("pedir_nivel"), keyboard([[
            (m(f"nivel_{lvl}"), cb("reg", "level", lvl))
            for lvl in ("regional", "provincial", "distrital")
        ]]))
    elif state == PLACE:
        await send(update, context, m(f"pedir_lugar_{draft.level}"))
    elif state == INSTITUTION:
        place = place_of(context, draft)
        await send(update, context, m("pedir_institucion"), keyboard([
            [(default_institution(place, svc(context).messages), cb("reg", "inst", "default"))]
        ]))
    elif state == PHONE:
        await send(update, context, m("pedir_telefono"), ReplyKeyboardMarkup(
            [[KeyboardButton(m("boton_compartir_telefono"), request_contact=True)],
             [KeyboardButton(m("boton_omitir"))]],
            resize_keyboard=True,
            one_time_keyboard=True,
        ))
    elif state == SUMMARY:
        await send(update, context, m("resumen", **profile_values(context, draft)), keyboard([[
            (m("boton_confirmar"), cb("reg", "confirm")),
            (m("boton_corregir"), cb("reg", "fix")),
        ]]))
    elif state == EDIT:
        rows = [[(m(FIELD_LABEL[f]), cb("reg", "edit", f))] for f in EDITABLE]
        rows.append([(m("campo_volver"), cb("reg", "edit", "back"))])
        await send(update, context, m("que_corregir"), keyboard(rows))
    return state


async def ask_next(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return await ask(update, context, next_step(get_draft(context)))


# --- /start and entry points ------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet; registered officers see their instancia, others the two ways in."""
    s = svc(context)
    m = s.messages
    user = update.effective_user
    known = registration_actions.registered(s, user.id)
    if known is not None:
        place = place_of(context, known.draft)
        text = m(
            "bienvenida_registrado",
            nombre=escape(known.draft.name.split(" ")[0]),
            instancia=escape(instancia_label(context, place)) if place else "",
        )
        await send(update, context, text)
        return
    first = f", {escape(user.first_name)}" if user.first_name else ""
    await send(update, context, m("bienvenida", nombre=first))
    await send(update, context, m("bienvenida_acciones"), keyboard([
        [(m("boton_registrarme"), cb("reg", "start"))],
        [(m("boton_preguntar"), cb("ask", "howto"))],
    ]))


async def how_to_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "Hacer una pregunta" button: no registration needed."""
    await close_buttons(update, button_label(update, update.callback_query.data))
    await send(update, context, svc(context).messages("preguntar_instrucciones"))


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Start registering: consent comes first, nothing is stored before it."""
    await close_buttons(update, button_label(update, getattr(update.callback_query, "data", "")))
    known = registration_actions.registered(svc(context), update.effective_user.id)
    if known is not None:
        put_draft(context, known.draft)
        return await ask(update, context, EDIT)
    put_draft(context, Draft())
    return await ask(update, context, CONSENT)


async def begin_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The "Editar" button of /perfil."""
    await close_buttons(update, button_label(update, update.callback_query.data))
    known = registration_actions.registered(svc(context), update.effective_user.id)
    if known is None:
        await send(update, context, svc(context).messages("no_registrado"))
        return END
    put_draft(context, known.draft)
    return await ask(update, context, EDIT)


# --- steps ---------------------------------------------------------------------------------


async def consent_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Acepto / No acepto, or the details of the notice (the choice is asked again below)."""
    answer = cb_parts(update.callback_query.data, "reg")[-1]
    await close_buttons(update, button_label(update, update.callback_query.data))
    if answer == "details":
        m = svc(context).messages
        text = m("consentimiento_detalle") + "\n\n" + m("consentimiento_pregunta")
        await send(update, context, text, keyboard(consent_buttons(context)))
        return CONSENT
    return await _consent(update, context, accepted=answer == "yes")


async def _consent(update: Update, context, *, accepted: bool) -> str:
    m = svc(context).messages
    if not accepted:
        drop_draft(context)
        await send(update, context, m("consentimiento_rechazado"))
        return END
    draft = get_draft(context)
    draft.consent = True
    put_draft(context, draft)
    return await ask_next(update, context)


async def consent_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """"acepto", "sí", "no acepto" typed instead of pressed."""
    accepted = consent_word(update.message.text)
    if accepted is not None:
        return await _consent(update, context, accepted=accepted)
    await send(update, context, svc(context).messages("consentimiento_esperado"))
    return CONSENT


async def level_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """"distrital" typed instead of pressed."""
    level = level_word(update.message.text)
    if level is not None:
        return await _set_level(update, context, level)
    await send(update, context, svc(context).messages("nivel_esperado"))
    return LEVEL


async def name_given(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The officer's full name."""
    draft = get_draft(context)
    if not give(draft, "name", update.message.text):
        return await retry(update, context, NAME, "nombre_invalido")
    put_draft(context, draft)
    return await ask_next(update, context)


async def cargo_given(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The officer's position."""
    draft = get_draft(context)
    if not give(draft, "cargo", update.message.text):
        return await retry(update, context, CARGO, "cargo_invalido")
    put_draft(context, draft)
    return await ask_next(update, context)


async def level_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Regional, provincial or distrital."""
    level = cb_parts(update.callback_query.data, "reg")[-1]
    await close_buttons(update, button_label(update, update.callback_query.data))
    return await _set_level(update, context, level)


async def _set_level(update: Update, context, level: str) -> str:
    draft = get_draft(context)
    draft.level = level
    draft.place_code = None
    put_draft(context, draft)
    return await ask(update, context, PLACE)


async def place_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A place name to search; the matches come back as buttons."""
    s = svc(context)
    text = update.message.text
    if len(text) > MAX_STEP_TEXT:
        return await retry(update, context, PLACE, None)
    draft = get_draft(context)
    choices = place_choices(s.places, text, draft.level, s.messages)
    if choices is None:
        await send(update, context, s.messages("lugar_no_encontrado", consulta=escape(text[:60])))
        return PLACE
    rows = [[(p.label, cb("reg", "place", p.code))] for p in choices.shown]
    rows.append([(s.messages("lugar_otro"), cb("reg", "place", "other"))])
    await send(update, context, choices.text, keyboard(rows))
    return PLACE


async def place_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """One of the offered places, or "search another name"."""
    s = svc(context)
    code = cb_parts(update.callback_query.data, "reg")[-1]
    draft = get_draft(context)
    if code == "other":
        await close_buttons(update)
        await send(update, context, s.messages("lugar_escriba_otro"))
        return PLACE
    place = s.places.get(draft.level, code) if draft.level else None
    if place is None:  # a button from a search made for another level
        await stale_button(update, context)
        return await ask(update, context, PLACE)
    await close_buttons(update, place.label)
    draft.place_code = code
    put_draft(context, draft)
    return await ask_next(update, context)


async def institution_default(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The suggested institution button."""
    await close_buttons(update, button_label(update, update.callback_query.data))
    draft = get_draft(context)
    draft.institution = default_institution(place_of(context, draft), svc(context).messages)
    put_draft(context, draft)
    return await ask_next(update, context)


async def institution_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Another institution, typed."""
    draft = get_draft(context)
    if not give(draft, "institution", update.message.text):
        return await retry(update, context, INSTITUTION, "institucion_invalida")
    put_draft(context, draft)
    return await ask_next(update, context)


async def phone_shared(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The officer's own number, shared with the keyboard button."""
    m = svc(context).messages
    contact = update.message.contact
    if contact.user_id != update.effective_user.id:
        return await retry(update, context, PHONE, "telefono_ajeno")
    draft = get_draft(context)
    draft.phone = clean_phone(contact.phone_number)
    draft.phone_done = True
    put_draft(context, draft)
    await send(update, context, m("listo_teclado"), ReplyKeyboardRemove())
    return await ask_next(update, context)


async def phone_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A work number typed (a Peruvian one, stored as +51…), or "Omitir": no phone."""
    m = svc(context).messages
    text = update.message.text.strip()
    if text.casefold() == m("boton_omitir").casefold():
        phone = None
    elif looks_like_phone(text):
        phone = clean_peru_phone(text)
        if phone is None:
            await send(update, context, m("telefono_invalido", numero=escape(text[:30])))
            return PHONE
    else:
        return await retry(update, context, PHONE, "telefono_esperado")
    draft = get_draft(context)
    draft.phone = phone
    draft.phone_done = True
    put_draft(context, draft)
    await send(update, context, m("listo_teclado"), ReplyKeyboardRemove())
    return await ask_next(update, context)


async def confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Store the officer: only now does personal data reach the officers table."""
    s = svc(context)
    m = s.messages
    draft = get_draft(context)
    if next_step(draft) != SUMMARY or not draft.consent:
        await stale_button(update, context)
        return await ask_next(update, context)
    await close_buttons(update, button_label(update, update.callback_query.data))
    stored = registration_actions.confirm(
        s, update.effective_user.id, draft, update_id=update.update_id
    )
    drop_draft(context)
    if not stored:  # the same press handled again: it is done and was already said
        return END
    if draft.editing:
        await send(update, context, m("perfil_actualizado"))
    else:
        await send(update, context, m("registro_listo", nombre=escape(draft.name.split(" ")[0])))
    return END


async def fix_requested(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """"Corregir" on the summary."""
    await close_buttons(update, button_label(update, update.callback_query.data))
    return await ask(update, context, EDIT)


async def field_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Which field to correct; clearing it makes `next_step` ask it again."""
    field = cb_parts(update.callback_query.data, "reg")[-1]
    await close_buttons(update, button_label(update, update.callback_query.data))
    draft = get_draft(context)
    if field == "place":
        old_place = place_of(context, draft)
        if old_place and draft.institution == default_institution(old_place, svc(context).messages):
            draft.clear("institution")  # it named the old place: offer the new default
    if field in EDITABLE:
        draft.clear(field)
        put_draft(context, draft)
    return await ask_next(update, context)


async def retry(update: Update, context, state: str, message_key: str | None) -> str:
    """A wrong answer for a typed step: explain, ask again, stay."""
    m = svc(context).messages
    text = update.message.text if update.message else None
    if text and len(text) > MAX_STEP_TEXT:
        await send(update, context, m("texto_muy_largo", largo=len(text)))
    elif message_key:
        await send(update, context, m(message_key))
    return await ask(update, context, state)


def unexpected_in(state: str):
    """Anything a step cannot use (sticker, photo, voice…): say so, ask again, lose nothing."""

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        expected = {
            CONSENT: "consentimiento_esperado",
            LEVEL: "nivel_esperado",
            PHONE: "telefono_esperado",
            SUMMARY: "resumen_esperado",
        }.get(state)
        message = update.effective_message
        is_text = bool(message and message.text) and len(message.text) <= MAX_STEP_TEXT
        if not is_text:
            await send(update, context, describe_unexpected(update, context))
        if expected:
            # The question's buttons are still on screen: point at them, do not repeat it all.
            await send(update, context, svc(context).messages(expected))
            return state
        return await ask(update, context, state)

    handler.__doc__ = f"Unexpected input while in {state}."
    return handler


stale_in = repeat_after(stale_button, ask)
resume_in = repeat_after(say_resuming, ask)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancelar inside the conversation: drop the draft, nothing is stored."""
    drop_draft(context)
    await send(update, context, svc(context).messages("cancelado"), ReplyKeyboardRemove())
    return END


async def cancel_outside(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, svc(context).messages("nada_que_cancelar"))


# --- /perfil and /borrar_mis_datos -----------------------------------------------------------


async def profile(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Everything stored with the officer's name (the right of access), with a button for each
    of the other rights: correct, delete, oppose to messages; and the notice itself."""
    s = svc(context)
    m = s.messages
    known = registration_actions.registered(s, update.effective_user.id)
    if known is None:
        await send(update, context, m("no_registrado"))
        return
    values = profile_values(context, known.draft)
    values["fecha_consentimiento"] = known.consent_date
    values["mensajes"] = m("perfil_mensajes_no" if known.messages_opt_out else "perfil_mensajes_si")
    values["consultas"] = (
        m("perfil_consultas", n=known.consultas) if known.consultas else m("perfil_sin_consultas")
    )
    messages_button = (
        (m("boton_si_mensajes"), cb("reg", "msgs", "on"))
        if known.messages_opt_out
        else (m("boton_no_mensajes"), cb("reg", "msgs", "off"))
    )
    await send(update, context, m("perfil", **values), keyboard([
        [(m("boton_editar"), cb("reg", "editprofile")), (m("boton_borrar"), cb("del", "ask"))],
        [messages_button, (m("boton_mis_derechos"), cb("reg", "rights"))],
    ]))


async def messages_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«No recibir mensajes» (opposition) or «Volver a recibir mensajes» from /perfil."""
    s = svc(context)
    wanted = cb_parts(update.callback_query.data, "reg")[-1] == "on"
    done = registration_actions.set_messages(
        s, update.effective_user.id, wanted=wanted, update_id=update.update_id
    )
    if done is None:  # deleted their data since /perfil
        await stale_button(update, context)
        return
    await close_buttons(update, button_label(update, update.callback_query.data))
    if done:
        key = "mensajes_activados" if wanted else "mensajes_desactivados"
        await send(update, context, s.messages(key))


async def rights(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«Sus derechos» from /perfil: the full notice of the consent, to read again."""
    await update.callback_query.answer()
    await send(update, context, svc(context).messages("consentimiento_detalle"))


async def delete_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sí / No to the deletion."""
    s = svc(context)
    answer = cb_parts(update.callback_query.data, "del")[-1]
    if answer == "ask":
        await delete_ask(update, context)
        return
    await close_buttons(update, button_label(update, update.callback_query.data))
    if answer != "yes":
        await send(update, context, s.messages("borrado_cancelado"))
        return
    user_id = update.effective_user.id
    deleted = registration_actions.delete_personal_data(s, user_id)
    context.user_data.clear()
    await context.application.persistence.drop_user_data(user_id)
    await send(update, context, s.messages("borrado_listo" if deleted else "borrado_nada"))


async def delete_in_conversation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/borrar_mis_datos in the middle of registering: leave it, then confirm the deletion."""
    drop_draft(context)
    await delete_ask(update, context)
    return END


# --- wiring ----------------------------------------------------------------------------------


def crisis_first(state: str, callback):
    """The crisis step before a registration step takes text: a message that discloses
    danger gets the help lines and is not stored as a name, a cargo or a place; the step's
    question comes again."""

    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE):
        message = update.effective_message
        text = (message.text or message.caption) if message else None
        if await crisis_step(update, context, text):
            return await ask(update, context, state)
        return await callback(update, context)

    step.__doc__ = callback.__doc__
    return step


def _step(state: str, *handlers) -> list:
    return [
        MessageHandler(CANCEL_WORDS, cancel),
        *handlers,
        CallbackQueryHandler(stale_in(state)),
        MessageHandler(filters.COMMAND & ~LEAVING_COMMANDS, resume_in(state)),
        MessageHandler(~LEAVING_COMMANDS, crisis_first(state, unexpected_in(state))),
    ]


def _text_step(state: str, callback) -> list:
    typed = filters.TEXT & ~filters.COMMAND
    return _step(state, MessageHandler(typed, crisis_first(state, callback)))


def register(app: Application) -> None:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # per_message=False is intended: steps mix typed answers and buttons.
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        conversation = _conversation(text)
    app.add_handler(conversation)


def _conversation(text) -> ConversationHandler:
    return ConversationHandler(
        name="registration",
        persistent=True,
        entry_points=[
            CallbackQueryHandler(begin, pattern=r"^v1:reg:start$"),
            CallbackQueryHandler(begin_edit, pattern=r"^v1:reg:editprofile$"),
            CommandHandler("registro", begin),
        ],
        states={
            CONSENT: _step(
                CONSENT,
                CallbackQueryHandler(consent_choice, r"^v1:reg:consent:"),
                MessageHandler(text, crisis_first(CONSENT, consent_typed)),
            ),
            NAME: _text_step(NAME, name_given),
            CARGO: _text_step(CARGO, cargo_given),
            LEVEL: _step(
                LEVEL,
                CallbackQueryHandler(level_chosen, r"^v1:reg:level:"),
                MessageHandler(text, crisis_first(LEVEL, level_typed)),
            ),
            PLACE: _step(
                PLACE,
                CallbackQueryHandler(place_chosen, r"^v1:reg:place:"),
                MessageHandler(text, crisis_first(PLACE, place_typed)),
            ),
            INSTITUTION: _step(
                INSTITUTION,
                CallbackQueryHandler(institution_default, r"^v1:reg:inst:default$"),
                MessageHandler(text, crisis_first(INSTITUTION, institution_typed)),
            ),
            PHONE: _step(
                PHONE,
                MessageHandler(filters.CONTACT, phone_shared),
                MessageHandler(text, crisis_first(PHONE, phone_typed)),
            ),
            SUMMARY: _step(
                SUMMARY,
                CallbackQueryHandler(confirmed, r"^v1:reg:confirm$"),
                CallbackQueryHandler(fix_requested, r"^v1:reg:fix$"),
            ),
            EDIT: _step(EDIT, CallbackQueryHandler(field_chosen, r"^v1:reg:edit:")),
        },
        fallbacks=[
            CommandHandler("cancelar", cancel),
            MessageHandler(CANCEL_WORDS, cancel),
            CommandHandler("borrar_mis_datos", delete_in_conversation),
        ],
        allow_reentry=False,
    )


def register_commands(app: Application) -> None:
    """Commands outside any conversation: added after every conversation, so they do not win."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("perfil", profile))
    app.add_handler(CommandHandler("borrar_mis_datos", delete_ask))
    app.add_handler(CommandHandler("cancelar", cancel_outside))
    app.add_handler(CallbackQueryHandler(how_to_ask, pattern=r"^v1:ask:howto$"))
    app.add_handler(CallbackQueryHandler(delete_answer, pattern=r"^v1:del:"))
    app.add_handler(CallbackQueryHandler(messages_choice, pattern=r"^v1:reg:msgs:(on|off)$"))
    app.add_handler(CallbackQueryHandler(rights, pattern=r"^v1:reg:rights$"))
