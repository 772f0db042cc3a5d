"""Crisis read from combined signals (bot/crisis_signals.py), on wording written for this file.

Every crisis message below was missed, or got the wrong reply, by the rule-by-rule detector: each
shows one of the broad signals (a blow named with -azo, a body part with a wound, "me" a word or
two before a harm, a concrete person near a harm, a minor's age, a wish not to be). The calm ones
put the same words in an officer's question about the law, a service or office work.
"""

from __future__ import annotations

import pytest

from bot.safety import detect_crisis

THE_WRITER = [
    "anoche me dio un rodillazo en la barriga y no puedo ni caminar",
    "él me pateó la puerta del cuarto y me dejó el brazo hinchado",
    "mi conviviente me graba cuando me cambio y dice que lo va a mandar a mi familia",
    # The writer in danger beside others: the writer's reply, not the helper's.
    "llegó mi ex borracho con un machete persiguiéndome por la chacra",
    "mi ex rompió la ventana y estoy con mis hijos escondida en el baño",
    "mi marido patea la puerta del cuarto, estoy con mis hijas adentro",
    # A stalker who keeps at it.
    "mi ex me sigue buscando en el mercado, ya le dije que no",
]

SOMEONE_ELSE = [
    "mi cuñado le dio un botellazo a mi hermana en la fiesta del pueblo",
    "la vecina anda con la mano vendada y el marido no la deja ir a la posta",
    "la cocinera del comedor tiene quemaduras en el cuello, dice que fue su conviviente",
    "que hago si una señora llega diciendo que su hijo la encierra en el corral",
    # A case told with a practical question: the helper's reply, then the answer.
    "ayer vino una señora mayor diciendo que su hijo la maltrata, donde puede denunciar?",
    # A grown child or grandchild does it: the elder or the mother is the one in danger.
    "una adulta mayor del comedor dice que su nieto la empuja y le quita la comida",
    "una vecina vino a decirme que su hijo mayor le pega cuando llega borracho",
    # The baby she carries goes along with her.
    "mi tía me llamó, su esposo la tiró a la calle y está en la vereda con la wawa",
    # The writer beside colleagues is no writer in danger.
    "estoy con mis compañeras en la comisaría, la señora fue golpeada por su esposo, qué hacemos",
    # Someone missing after a warning.
    "mi hermana me dijo si me pasa algo fue mi cuñado, y hoy no la encontramos",
]

CHILDREN = [
    "el hijito de mi comadre tiene la frente partida y dice que su papá lo tiró de la escalera",
    "un muchachito de unos 12 vende caramelos de noche y un señor le da droga",
    "a mi sobrina de 16 la tienen trabajando sin pagarle en una casa y el patrón no la deja salir",
    # The harm falls on the child.
    "a mi hijo le pegan con el palo en la casa de su papá cuando va de visita",
    # A secret an adult asks a child to keep; a child afraid to go home.
    "el tío de mi vecinita le dice que es un secreto lo que hacen cuando la cuida",
    "mi alumna de 10 no quiere volver a su casa cuando su padrastro está solo",
    # "chicas" are children by their school.
    "el profesor de educacion fisica le pide fotos a las chicas de secundaria y les dice que no "
    "cuenten nada",
]

SELF_HARM = [
    "a veces quisiera quedarme dormida y no despertar nunca",
    "mis hijos estarían mejor sin mí, ya lo tengo decidido",
    "ya no voy a estar para el próximo informe, nadie me va a echar de menos",
    "me gustaría cruzarme con un tren y ya",
    "he pensado en echarme bajo el bus de la ruta",
    "a veces creo que si no amanezco mañana seria lo mejor para todos",
    # The writer's danger and a wish not to be: the reply with Línea 113 wins.
    "mi pareja me insulta todos los días, lo mejor es desaparecer para que todos descansen",
    # Counting the means; letting the river take you.
    "tengo las pastillas de mi papá y estoy viendo cuántas serían suficientes",
    "cuando crucé el puente pensé en dejarme llevar por la corriente",
]

CALM = [
    "mi jefa me dio un plazo de tres dias para el informe",
    "mi colega me dio un abrazo de despedida",
    "la ley cubre a una señora a la que su hijo golpea?",
    "que hago si un alumno llega con moretones",
    "la demuna puede retirar a un niño de su casa si lo golpean?",
    "el cem atiende a mujeres con el brazo roto o solo con denuncia?",
    "quisiera desaparecer esa pestaña del formulario",
    "ya no voy a estar en la reunion del jueves",
    "si me muero de sueño en la capacitacion me despiertan jaja",
    "me pidieron una estadistica de niñas embarazadas de 14 años en el distrito",
    "la linea 113 es tambien para familiares de alguien que quiere quitarse la vida?",
    "ya hice el informe, mañana termino todo",
    "quiero un lugar seguro para vivir con mis hijos",
    # The same case told to ask whom the law covers.
    "ayer vino una señora mayor diciendo que su hijo la maltrata y me dicen que la ley solo "
    "protege a mujeres jovenes, es asi? a quienes cubre la ley?",
    # Look-alikes of this round's signals.
    "estoy con mis hijos en la feria del distrito, a qué hora es la sesión de la instancia?",
    "mi hijo mayor me ayuda con el reporte cuando estoy con mis hijos en casa",
    "la ex regidora me sigue escribiendo por el acta de la sesión",
    "a la presidenta de la instancia no la encuentro en el padrón",
    "si me pasa algo en el camino a la capacitación, el seguro me cubre?",
    "la dinámica del secreto en la caja funciona con los niños del taller?",
    "¿qué hace la DEMUNA si un niño no quiere volver a su casa?",
    "estoy calculando cuántas pastillas de metformina me tocan por semana",
    "pensé en soltarme del cargo de secretaria técnica, a quién aviso?",
    "pensé en dejarme llevar por la propuesta del alcalde",
    "pienso en las pastillas anticonceptivas para el taller de salud",
    "pensé en la soga para la yunza del carnaval",
    "la charla para los chicos de quinto grado sobre el acoso escolar, hay material?",
]


@pytest.mark.parametrize("text", THE_WRITER)
def test_the_writer_hurt_gets_the_writers_reply(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "self", text


@pytest.mark.parametrize("text", SOMEONE_ELSE)
def test_an_adult_near_a_harm_gets_the_helpers_reply(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "other", text


@pytest.mark.parametrize("text", CHILDREN)
def test_a_child_near_a_harm_gets_the_reply_for_children(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "child", text


@pytest.mark.parametrize("text", SELF_HARM)
def test_a_wish_not_to_be_gets_the_mental_health_line(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "self_harm", text


@pytest.mark.parametrize("text", CALM)
def test_the_same_signals_in_a_question_are_calm(text: str) -> None:
    assert detect_crisis(text) is None, text
