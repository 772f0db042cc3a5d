"""Crisis detection: every disclosure caught, no alarm on questions about violence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safety import Crisis, CrisisDetector, detect_crisis
from bot.textnorm import Language, load_language

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev-preguntas.yaml"

VIOLENCE = [
    # first person
    "mi marido me golpeo anoche",
    "me pegaron",
    "me pega cuando toma",
    "mi enamorado me amenaza con matarme",
    "me quiere ahorcar",
    "mi pareja me ahorco ayer",
    "mi esposo quiere matarme",
    "me tiene encerrada en el cuarto",
    "mi conviviente no me deja salir de la casa",
    "soy victima de violencia",
    "sufro violencia de mi esposo",
    "fui violada por mi padrastro",
    "he sido abusada",
    "abusaron de mi cuando era nina",
    "me obliga a tener relaciones",
    "me estan golpeando",
    "me dio un golpe en la cara",
    "mi esposo me da golpes",
    "mi esposo me dio una paliza",
    "me agarro a golpes",
    "mi pareja me tiro un plato",
    "estoy sangrando",
    "MI PAREJA ME MALTRATA!!!",
    # someone close
    "mi papa nos pega a todos",
    "mi hija fue violada",
    "violaron a mi hermana",
    "mi vecino golpea a su esposa todas las noches",
    "alguien esta golpeando a mi hija",
    "mi padrastro me toca",
    "mi suegra me insulta y me humilla",
    # under way, witnessed
    "estan pegando a una senora en la calle",
    "le estan pegando a una chica en el parque ahorita",
    "hay un hombre golpeando a una mujer afuera de la municipalidad",
    "escucho gritos al lado, creo que le estan pegando",
    # cries for help, weapons, fear, presence
    "auxilio",
    "socorro por favor",
    "ayudenme urgente",
    "el papa de mis hijos me amenazo con un cuchillo",
    "mi esposo tiene una pistola y me amenaza",
    "tengo miedo",
    "me siento en peligro en mi casa",
    "mi ex esta afuera de mi casa",
    "me estan siguiendo desde el trabajo",
    # typos and chat spelling
    "mi esposo me golpia",
    "mi esposo me pgea",
    "me biolaron",
    "mi pareja me amenasa",
    "m pegaa mi esposo",
    "mi ex me amnaza",
]

SELF_HARM = [
    "me voy a matar",
    "ya no quiero vivir",
    "quiero quitarme la vida",
    "pienso en suicidarme",
    "me kiero morir",
    "no tengo ganas de vivir",
    "quisiera estar muerta",
    "me voy a tirar del puente",
    # reported by QA, and unseen variants of each rule
    "me quiero quitar la vida",
    "me voy a quitar la vida hoy",
    "me corto los brazos",
    "me estoy cortando las munecas",
    "me quemo los brazos con cigarro",
    "me siento sola y sin salida",
    "estoy desesperada y sin salida",
    "ya no puedo mas",
    "no quiero seguir viviendo",
    "quiero desaparecer",
    "quiero dormir y no despertar",
]

REPORTED_VIOLENCE = [
    # child sexual abuse told by a relative
    "mi hijo de 5 años fue tocado por su tio",
    "a mi nieta la tocaron",
    "mi sobrina esta embarazada de su padrastro",
    "el profesor manosea a mi hija",
    "mi nieto fue tocado por el vecino",
    "a mi hijita la tocaron en el colegio",
    "mi hija de 12 años esta embarazada",
    "mi prima esta embarazada de su tio",
    "mi cuñado me toca",
    # coercion, expulsion, injuries, economic violence, hair pulling
    "me obliga a estar con el",
    "me forzo a acostarme con el",
    "me bota de la casa",
    "mi marido nos boto a la calle",
    "me quiere botar de la casa",
    "tengo moretones",
    "mi esposo me dejo moretones",
    "me dejo un ojo morado",
    "mi hija tiene moretones",
    "mi esposo me quito mi plata y no me deja trabajar",
    "mi conviviente me quita todo mi sueldo",
    "no me deja trabajar",
    "me jala del pelo",
    "me jalo del pelo",
    "me agarro del cuello",
    "mi ex me jaloneo del brazo",
    # bare pleas
    "ayuda por favor",
    "ayudaaa",
    "ayuda",
    "necesito ayuda",
    "auxilio",
    "socorro",
    "socorroooo",
    "AUXILIO!!!",
    "ayudenme",
    "alguien ayudeme",
]

CALM = [
    # questions about violence, in an officer's words
    "que es la violencia fisica",
    "la violencia psicologica se denuncia?",
    "que hago si en una sesion reportan un caso",
    "cuantos casos atendio el CEM",
    "una victima puede ir a un refugio",
    "que pasa si una mujer es golpeada por su pareja",
    "el acoso sexual es violencia?",
    "que dice la ley sobre la violacion",
    "como se denuncia el maltrato infantil",
    "a que numero llaman si estan agrediendo a una mujer",
    "que hacer si una vecina es maltratada",
    "los golpes son violencia fisica?",
    "si el agresor tiene un arma que hace la policia",
    "cuales son las medidas de proteccion para una victima de violacion",
    "que pena tiene el que golpea a su pareja",
    "si un padre golpea a su hijo se puede denunciar?",
    "como se atiende a una mujer golpeada en el cem",
    "me gustaria saber que es el abuso sexual",
    "mi instancia quiere hacer una campana contra el acoso",
    # everyday officer messages
    "me pagaron la gratificacion",
    "no me pagaron el sueldo",
    "me toca presentar el informe de la instancia",
    "me jalaron en el examen de la capacitacion",
    "estoy cansada de esperar el reporte",
    "mi alcalde no quiere instalar la instancia",
    "mi mama trabaja en el cem",
    "me pueden ayudar con el reporte",
    "necesito ayuda urgente con el reporte de la instancia",
    "quiero borrar mis datos",
    "como saco mi dni",
    "hola buenas tardes",
    "",
    # reported by QA: slang, work talk, "ayuda" about the bot
    "me jalaron en el examen",
    "me jalaron en el curso",
    "necesito ayuda con el bot",
    "ayuda con el reporte",
    "ayuda para llenar el formato",
    "como pido ayuda al mimp para la instancia",
    "me pueden ayudar",
    "auxilio, no se como hacer el plan de trabajo",
    "socorro no encuentro la ordenanza",
    "me mata el trabajo de la instancia",
    "este informe me va a matar",
    "el plazo me va a matar",
    "me pegaron un sticker",
    "me pego la gripe",
    "me violaron mis derechos laborales",
    "mi jefe toco el tema de la instancia",
    "estoy desesperada con el informe",
    "estamos en un callejon sin salida con el alcalde",
    # the same words, about someone else's case or the law
    "me corto el pelo manana",
    "me cortaron la luz",
    "me botaron del trabajo",
    "el alcalde me quito el proyecto",
    "los moretones son violencia fisica?",
    "que hacer si una victima tiene moretones",
    "una adolescente embarazada puede ir al cem?",
    "si a una mujer la botan de su casa que hacer",
    "el esposo que le quita el dinero a su mujer comete violencia?",
    # officers' topic questions that name people and violence, but no case
    "que pasa si una mujer sufre violencia de su pareja",
    "una mujer que sufre violencia puede ir al cem?",
    "la ley dice que quien golpea a su pareja va preso?",
    "que es la violencia psicologica?",
    "como se denuncia?",
    "que debe hacer un docente si sospecha que un alumno sufre violencia",
    "los profesores tienen que denunciar?",
    "que hace la demuna",
]


# Someone else in danger, told by a relative, a neighbour or an officer: the helper gets the
# reply made for helping. Decided in issue 11: a case told inside a question ("que hago si una
# mujer me cuenta que su esposo la golpea") is a real person in danger, not a topic question.
SOMEONE_ELSE = [
    ("mi hija sufre violencia de su pareja", "other"),
    ("una señora dice q su pareja la golpea q hago", "other"),
    ("q hago si una mujer llega a la muni diciendo que su esposo le pega", "other"),
    ("que hago si una mujer me cuenta que su esposo la golpea", "other"),
    ("una victima me dijo que su pareja la amenaza, a donde la derivo?", "other"),
    ("buenas, una compañera de trabajo me conto que su esposo la amenaza", "other"),
    ("su hermana vive violencia y no sabe a donde ir", "other"),
    ("estan golpeando a mi vecina ahorita", "other"),
    ("violaron a mi hermana", "other"),
    ("mi vecino golpea a su esposa todas las noches", "other"),
    ("la hijita de mi vecina le conto a mi hija q su abuelo le toca sus partes", "child"),
    ("que hacer cuando un alumno cuenta que lo golpean en casa", "child"),
    ("en el colegio una alumna de 13 años dijo que su padrastro la toca", "child"),
    ("un niño de mi barrio llega golpeado, su papa le pega", "child"),
    ("mi hija fue violada", "child"),
    ("alguien esta golpeando a mi hija", "child"),
    ("mi hijo de 5 años fue tocado por su tio", "child"),
]

# The writer in danger keeps the reply made for them, even when they also speak of others.
THE_WRITER = [
    "mi esposo me pega",
    "mi papa le pega a mi mama y estoy asustada",
    "mi papa nos pega a todos",
    "mi esposo me corta los brazos",
    "tengo moretones",
    "ayuda",
]

PASSIVE_SUICIDAL = [
    "ya estoy cansada de todo, seria mejor desaparecer y ya",
    "a veces pienso que todos estarian mejor sin mi",
    "quisiera no despertar mañana",
    "estoy cansado de vivir",
]

COMMANDS_AND_HELP = ["/ayuda", "/help", "/ayuda@concerta_bot", "ayuda con el reporte", "/start"]

# Written for issue 11 (tuning variants, not an evaluation set): cases told by helpers.
MORE_SOMEONE_ELSE = [
    ("tengo una vecina que su esposo la maltrata todos los dias, que hago", "other"),
    ("mi amiga me conto que su enamorado le pego", "other"),
    ("mi hermana esta siendo golpeada por su marido", "other"),
    ("a mi prima su pareja la amenaza de muerte", "other"),
    ("una usuaria vino a la muni toda golpeada, su conviviente le pego anoche", "other"),
    (
        "buenas noches, disculpe, en mi trabajo una compañera llega con moretones y dice que "
        "se cayo pero creo que su esposo le pega",
        "other",
    ),
    ("mi mama sufre violencia de mi papa", "other"),
    ("mi cuñada vive violencia psicologica, su esposo la insulta y la humilla", "other"),
    (
        "hay una señora en la puerta de la municipalidad llorando, dice que su marido la "
        "quiere matar",
        "other",
    ),
    ("mi tia esta encerrada por su esposo y no la deja salir", "other"),
    ("escucho que mi vecino le grita y le pega a su mujer", "other"),
    ("una mujer de mi comunidad fue violada ayer", "other"),
    ("la señora de la tienda tiene el ojo morado, su esposo la golpeo", "other"),
    ("mi suegra es maltratada por mi suegro", "other"),
    ("una joven me escribio que su ex la esta acosando y amenazando", "other"),
    ("a mi vecina la botaron de su casa con sus hijos", "other"),
    ("en la reunion una señora conto que su esposo la violo", "other"),
    ("mi sobrinita de 8 años me dijo que su padrastro la toca", "child"),
    ("un alumno me conto que su papa le pega con la correa", "child"),
    ("en la escuela hay una niña con moretones, dice que su mama le pega", "child"),
    ("creo que a mi vecinito lo golpean en su casa, siempre llora", "child"),
    ("la profesora dice que una alumna de 12 años esta embarazada", "child"),
    ("mi nieta de 6 años dice que el vecino le toco sus partes", "child"),
    ("un niño de la comunidad dijo que su tio abusa de el", "child"),
    ("mi hijo de 10 años llego con golpes del colegio", "child"),
    ("la menor le conto a la psicologa que su abuelo la manosea", "child"),
]

MORE_SELF_HARM = [
    "ya no quiero seguir, todo me sale mal",
    "siento que no valgo nada y quiero desaparecer",
    "a veces pienso en quitarme la vida",
    "estoy muy cansada de todo, ya no le encuentro sentido",
    "quisiera dormirme y no despertar nunca mas",
    "para que sigo viviendo si nadie me quiere",
    "mi hija dice que se quiere matar",
    "mi amiga me dijo que se quiere suicidar",
]

MORE_CALM = [
    "que es la violencia psicologica?",
    "como se denuncia?",
    "que hacer si una mujer sufre violencia",
    "que hago si una vecina es golpeada por su esposo",
    "la instancia puede atender casos de violencia?",
    "que pasa si el agresor no cumple las medidas de proteccion",
    "cuales son los tipos de violencia",
    "los docentes deben denunciar si un alumno es maltratado?",
    "como se atiende a un niño victima de violencia en el cem",
    "que hace la demuna en casos de violencia",
    "que dice la ley si un esposo le pega a su esposa",
    "se puede denunciar si el esposo la insulta?",
    "la violencia economica es cuando el esposo no le da dinero?",
    "mi instancia quiere hacer una campaña sobre el acoso escolar",
    "como le explico a las mujeres de la comunidad que es la violencia",
    "en la sesion hablamos de los casos de violencia del distrito",
    "cuantos casos de violencia hubo en mi provincia",
    "quien protege a los niños que sufren violencia",
    "una persona que sufre violencia puede llamar a la linea 100?",
    "mi alcalde me dijo que la instancia no sirve",
    "que hacemos si una mujer nos pide ayuda en la municipalidad",
    "me piden un informe de casos de violencia contra la mujer",
    "a quien derivo a una mujer violentada",
    "el hijo que golpea a su madre adulta mayor comete violencia?",
    "que pena tiene el que viola a una menor",
    "el cem atiende a hombres que sufren violencia?",
]


@pytest.mark.parametrize(("text", "victim"), MORE_SOMEONE_ELSE)
def test_more_cases_told_by_helpers(text: str, victim: str) -> None:
    assert detect_crisis(text) == Crisis("violence", victim), text


@pytest.mark.parametrize("text", MORE_SELF_HARM)
def test_more_self_harm_including_someone_elses(text: str) -> None:
    assert detect_crisis(text) == Crisis("self_harm"), text


@pytest.mark.parametrize("text", MORE_CALM)
def test_more_topic_questions_are_calm(text: str) -> None:
    assert detect_crisis(text) is None, text


# A second batch written for issue 11 (tuning variants): how helpers and officers phrase it.
HELPERS_AND_WRITERS = [
    ("mi vecina esta siendo maltratada por su pareja, como puedo ayudarla", "other"),
    ("conozco a una señora que sufre violencia de su esposo", "other"),
    ("tengo una amiga que es agredida por su enamorado", "other"),
    ("hay una chica en mi trabajo que su novio la controla y la golpea", "other"),
    ("en mi barrio un señor le pega a su esposa y nadie hace nada", "other"),
    ("mi hermana me llamo llorando, su esposo la boto de la casa", "other"),
    ("mi mama esta en peligro, mi padrastro la quiere matar", "other"),
    ("la esposa de mi primo aparece con golpes cada semana", "other"),
    ("mi prima de 15 años dice que su enamorado la obligo a tener relaciones", "child"),
    ("una adolescente de mi comunidad esta embarazada de su padrastro", "child"),
    ("mi sobrino de 7 años tiene marcas de correa en la espalda", "child"),
    ("el profesor de mi hija la toca y ella tiene miedo de ir al colegio", "child"),
    ("en el colegio de mi hijo un profesor abusa de los alumnos", "child"),
    ("la niña de al lado siempre grita, creo que la golpean", "child"),
    ("mi esposo me grita y me insulta delante de mis hijos", "self"),
    ("me da miedo volver a casa", "self"),
    ("ya no quiero vivir asi", "self_harm"),
    ("me siento una carga para mi familia, mejor me muero", "self_harm"),
    ("he pensado en matarme", "self_harm"),
    ("no le veo sentido a nada", "self_harm"),
    ("mi hijo adolescente dice que quiere morir", "self_harm"),
]

MORE_TOPIC_QUESTIONS = [
    "que se entiende por violencia fisica",
    "la violencia psicologica tambien es delito?",
    "como se prueba la violencia psicologica",
    "que es el acoso sexual segun la ley",
    "el acoso en la calle esta en la ley 30364?",
    "cual es la diferencia entre violencia familiar y violencia de genero",
    "que hago si en la instancia nos piden atender un caso de violencia",
    "como derivamos los casos de violencia al cem",
    "la policia puede negarse a recibir una denuncia?",
    "que pasa si la victima no quiere denunciar",
    "la victima tiene que pagar por el certificado medico?",
    "que es la ficha de valoracion de riesgo",
    "quien dicta las medidas de proteccion para una mujer agredida",
    "si el agresor incumple la medida de proteccion que pasa",
    "cuanto tiempo tiene el juez para dictar medidas",
    "los hombres tambien pueden ser victimas de violencia?",
    "una persona adulta mayor maltratada por sus hijos esta protegida por la ley?",
    "los casos de violencia contra niños van a la demuna o al cem?",
    "que debe hacer un profesor si sospecha que un alumno es abusado",
    "que hace la instancia frente al feminicidio",
    "como prevenimos la violencia en el enamoramiento en los colegios",
    "queremos hacer una campaña contra la violencia hacia la mujer, hay materiales?",
    "que es el feminicidio",
    "el abuso sexual infantil se denuncia en la fiscalia?",
    "hay un protocolo para atender a victimas de violacion?",
    "las victimas de violencia pueden ir a un hogar refugio con sus hijos?",
    "el cem atiende casos de violencia contra niños?",
    "en que casos se llama al 105",
    "que es la violencia economica, por ejemplo si el esposo no da dinero",
    "como ayudo a una mujer que sufre violencia",
    "como orientar a una victima de violencia que llega a la municipalidad",
    "que hacer cuando una mujer es golpeada por su pareja",
    "en la ultima sesion se presentaron las estadisticas de violencia del cem",
    "la ley protege a las enamoradas que son golpeadas?",
    "si un alumno cuenta en clase que vio violencia en su casa que debe hacer el docente",
    "cuales son las señales de violencia en una pareja",
    "como saber si una mujer esta en riesgo de feminicidio",
    "que significa revictimizar a una victima",
    "mi hija quiere hacer un trabajo sobre la violencia de genero, que fuentes le recomiendo",
    "mi mama trabaja en la demuna y pregunta por el chat 100",
]


@pytest.mark.parametrize(("text", "label"), HELPERS_AND_WRITERS)
def test_who_is_in_danger(text: str, label: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == label, (text, crisis)


@pytest.mark.parametrize("text", MORE_TOPIC_QUESTIONS)
def test_officers_topic_questions_raise_no_alarm(text: str) -> None:
    assert detect_crisis(text) is None, text


# Children and adolescents, telling it themselves or told by a teacher, a nurse, a parent:
# the reply adds the DEMUNA. A parent hurt by their child, or with children around, is the
# writer in danger.
CHILDREN = [
    ("tengo 13 años y mi padrastro me toca cuando mi mama no esta", "child"),
    ("soy menor de edad y mi papa me pega con la correa", "child"),
    ("tengo 15 y mi enamorado me obliga a tener relaciones", "child"),
    ("un alumno de quinto grado vino con la cara hinchada y dijo que su papa le pego", "child"),
    ("la enfermera de la posta atendio a una niña de 11 años embarazada", "child"),
    ("mi hijita llora y no quiere quedarse con su tio, creo que le hace algo", "child"),
    ("en la escuela una niña dijo que su padrastro abusa de ella", "child"),
    ("hay un niño que vive solo con su abuelo y lo castigan muy feo", "child"),
    ("un adolescente de la comunidad me dijo que lo golpean en su casa", "child"),
    ("la docente reporto que un estudiante tiene quemaduras en los brazos", "child"),
    ("mi hijo me pega y me quita la plata", "self"),
    ("mi esposo me pega y mis hijos lo ven", "self"),
    ("mi papa me pega", "self"),
]


@pytest.mark.parametrize(("text", "label"), CHILDREN)
def test_children_get_the_reply_for_children(text: str, label: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == label, (text, crisis)


# Children's own words and helpers' reports, a third batch (tuning variants for issue 11).
MORE_CHILDREN = [
    ("mi tio me hace cosas feas cuando nadie me ve", "self"),
    ("un señor me toco en el bus y tengo 12 años", "child"),
    ("me tocaron en el colegio y no se a quien decirle", "child"),
    ("mi profesor me manda mensajes feos y fotos", "self"),
    ("mi mama me pega con el cable", "self"),
    ("me castigan sin comer y me encierran en el cuarto", "self"),
    ("mi vecina deja a sus hijos solos y les pega", "child"),
    ("mi sobrina me conto que su profesor le manda fotos desnudo", "child"),
    ("a mi hijo lo golpean en el colegio todos los dias", "child"),
    ("violaron a una niña en mi comunidad", "child"),
    ("abusaron de mi sobrinita", "child"),
    ("creo que abusan de mi nieta", "child"),
    ("una menor de 13 años salio embarazada en mi distrito", "child"),
    ("un niño de la calle duerme en el mercado y lo maltratan", "child"),
    ("mi hijo de 4 años tiene quemaduras de cigarro", "child"),
    ("la wawa de mi vecina llora todas las noches y escucho golpes", "child"),
    ("mi nieto me dijo que su papa le quema las manos", "child"),
    ("una alumna me conto que su tio abuso de ella", "child"),
    ("el director del colegio acosa a las alumnas", "child"),
    ("mi hija de 14 años tiene un enamorado de 30 que la maltrata", "child"),
]


@pytest.mark.parametrize(("text", "label"), MORE_CHILDREN)
def test_more_children(text: str, label: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == label, (text, crisis)


@pytest.mark.parametrize(
    "text",
    [
        "me toco ir al colegio temprano",
        "me toca presentar el informe del colegio",
        "el esposo que le quita el dinero a su mujer comete violencia?",
        "que pena tiene el que viola a una menor",
        "la ley castiga a quien abusa de un menor",
        "la instancia me pide fotos de la sesion",
    ],
)
def test_children_words_without_a_case_are_calm(text: str) -> None:
    assert detect_crisis(text) is None, text


# Indirect and passive ways of saying it, and someone else's self-harm (tuning variants).
MORE_DEATH_WISHES = [
    "ya no tengo fuerzas para seguir",
    "me quiero ir de este mundo",
    "quisiera irme para siempre",
    "no aguanto mas esta vida",
    "todo seria mas facil si no estuviera",
    "me corto para sentirme mejor",
    "pienso en tomar pastillas",
    "me tome unas pastillas para no despertar",
    "ya escribi mi carta de despedida",
    "estoy pensando en hacerme daño",
    "ojala me pase algo y ya no despierte",
    "a veces quiero tirarme del puente",
    "siento que soy un estorbo para todos",
    "ya no quiero estar en este mundo",
    "mi vida ya no vale nada",
    "quisiera dejar de sufrir para siempre",
    "mi amiga se corta los brazos",
    "mi hijo adolescente se hace cortes",
]


@pytest.mark.parametrize("text", MORE_DEATH_WISHES)
def test_more_death_wishes_get_the_mental_health_line(text: str) -> None:
    assert detect_crisis(text) == Crisis("self_harm"), text


@pytest.mark.parametrize(
    "text",
    [
        "mi hija se corta las uñas",
        "quiero lanzarme de candidata a regidora",
        "me corto el pelo para la boda",
        "tome pastillas para la gripe",
    ],
)
def test_everyday_words_near_self_harm_are_calm(text: str) -> None:
    assert detect_crisis(text) is None, text


# Cases officers come across at work, told in their words (tuning variants).
CASES_AT_WORK = [
    "buenas tardes, disculpe, hoy vino a la oficina una señora con la cara morada, dice que "
    "fue su esposo, a donde la mando?",
    "hola, en la sesion de la instancia una regidora conto que su vecina es golpeada por su "
    "conviviente, que debemos hacer",
    "una joven de mi comunidad esta encerrada por su pareja hace dias",
    "mi compañera de trabajo tiene moretones en los brazos y no quiere hablar",
    "escuche gritos en la casa de al lado, un hombre le estaba pegando a su mujer",
    "una madre de familia del vaso de leche me dijo que su marido la amenaza con un cuchillo",
    "mi hermana no contesta el celular y su esposo ya la habia amenazado",
    "la señora que vende en el mercado aparece golpeada seguido",
    "una vecina mia esta siendo violentada por su esposo y tiene miedo de denunciar",
    "mi amiga tiene un enamorado que la cela y la empuja",
    "a una chica de mi barrio la violaron el fin de semana",
    "mi papa le grita y le pega a mi mama cuando toma",
]


@pytest.mark.parametrize("text", CASES_AT_WORK)
def test_cases_met_at_work_get_the_helpers_reply(text: str) -> None:
    assert detect_crisis(text) == Crisis("violence", "other"), text


@pytest.mark.parametrize(
    "text",
    [
        "que es una conducta violenta",
        "las personas violentas pueden cambiar?",
        "como se atiende a una mujer violentada",
        "que hacer si llega una mujer golpeada a la municipalidad",
    ],
)
def test_violent_words_in_topic_questions_are_calm(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(("text", "victim"), SOMEONE_ELSE)
def test_someone_else_in_danger(text: str, victim: str) -> None:
    assert detect_crisis(text) == Crisis("violence", victim), text


@pytest.mark.parametrize("text", THE_WRITER)
def test_the_writer_in_danger_is_self(text: str) -> None:
    assert detect_crisis(text) == Crisis("violence", "self"), text


@pytest.mark.parametrize("text", PASSIVE_SUICIDAL)
def test_passive_suicidal_thoughts_are_self_harm(text: str) -> None:
    assert detect_crisis(text) == Crisis("self_harm"), text


@pytest.mark.parametrize("text", COMMANDS_AND_HELP)
def test_help_commands_are_never_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None


def test_a_command_does_not_hide_what_follows_it() -> None:
    assert detect_crisis("/ayuda mi esposo me pega") == Crisis("violence", "self")


def test_labels() -> None:
    assert Crisis("self_harm").label == "self_harm"
    assert Crisis("violence").label == "self"
    assert Crisis("violence", "child").label == "child"


@pytest.mark.parametrize("text", VIOLENCE)
def test_violence_is_a_crisis(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.kind == "violence", text


@pytest.mark.parametrize("text", REPORTED_VIOLENCE)
def test_reported_disclosures_are_a_crisis(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.kind == "violence", text


def test_self_harm_by_someone_close_is_violence() -> None:
    assert detect_crisis("me corto los brazos") == Crisis("self_harm")
    assert detect_crisis("mi esposo me corta los brazos") == Crisis("violence", "self")


def test_kept_alarm_on_harassment_by_the_boss() -> None:
    # Decided: "mi jefe me acosa" is a disclosure of workplace sexual harassment; the figurative
    # reading ("con los plazos") cannot be told from "con mensajes", so it stays an alarm.
    assert detect_crisis("mi jefe me acosa con los plazos") == Crisis("violence", "self")
    assert detect_crisis("mi jefe me acosa con mensajes") == Crisis("violence", "self")


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_is_its_own_kind(text: str) -> None:
    assert detect_crisis(text) == Crisis("self_harm"), text


@pytest.mark.parametrize("text", CALM)
def test_questions_about_violence_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


def test_threat_to_kill_is_violence_not_self_harm() -> None:
    assert detect_crisis("me quiere matar") == Crisis("violence", "self")
    assert detect_crisis("mi ex dice que me va a matar") == Crisis("violence", "self")
    assert detect_crisis("me quiero matar") == Crisis("self_harm")


def test_long_message_is_read_to_the_end() -> None:
    filler = "en la reunion de la instancia hablamos de muchos temas importantes " * 55
    assert len(filler) > 3500
    assert detect_crisis(filler) is None
    assert detect_crisis(filler + " y ahora mi esposo me pega") == Crisis("violence", "self")


def test_detector_needs_its_word_lists(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="crisis"):
        CrisisDetector(Language(source="x.yaml"))
    path = tmp_path / "lenguaje.yaml"
    path.write_text(
        "crisis:\n  relaciones: [esposo]\n  verbos_ar: [peg]\n  autolesion: [me quiero morir]\n",
        encoding="utf-8",
    )
    detector = CrisisDetector(load_language(path))
    assert detector.detect("mi esposo me pega") == Crisis("violence")
    assert detector.detect("me quiero morir") == Crisis("self_harm")
    assert detector.detect("que es la violencia") is None


# --------------------------------------------------------------------------- development set


def _dev() -> dict:
    if not DEV.exists():
        pytest.skip(f"development set not found at {DEV}")
    return yaml.safe_load(DEV.read_text(encoding="utf-8"))


def test_dev_crisis_messages_are_all_caught() -> None:
    missed = [q for q in _dev()["crisis"] if detect_crisis(q) is None]
    assert missed == []


def test_no_alarm_on_any_dev_question() -> None:
    dev = _dev()
    calm = [d["q"] for d in dev["preguntas"] + dev["no_crisis"]] + dev["fuera_de_tema"]
    alarms = [q for q in calm if detect_crisis(q)]
    assert alarms == []


# Issue 11, second round: threats through an auxiliary, arriving hurt, the aggressor waiting,
# a child's disclosure in other words, ages written "de 13", intent to die in the third person,
# passive death wishes and the means at hand. Written for these tests, not taken from a set.
GENERALISED_CASES = [
    ("mi prima dice que su esposo la va a matar si lo deja", "other"),
    ("una vecina me conto que su conviviente la quiere ahorcar", "other"),
    ("la señora llego con la nariz rota a la comisaria y dice que fue su marido", "other"),
    ("una mujer llego a la oficina con la cara ensangrentada", "other"),
    ("su pareja la esta esperando en la puerta de la muni", "other"),
    ("su expareja la amenazo delante de sus hijos con un cuchillo", "other"),
    ("una alumna me dijo que su tio se metia a su cuarto cuando ella dormia", "child"),
    ("mi nieta de 13 esta embarazada", "child"),
    ("el padrastro de una alumna le toca sus partes", "child"),
    ("en la demuna vimos a dos hermanitos que su papa los amarra", "child"),
    ("mi hijo dice que se va a colgar", "self_harm"),
    ("mi amiga amenaza con matarse", "self_harm"),
    ("me voy a colgar hoy", "self_harm"),
    ("ojala me muera pronto", "self_harm"),
    ("si yo desaparezco nadie se daria cuenta", "self_harm"),
    ("tengo veneno guardado en mi cuarto", "self_harm"),
    ("compre muchas pastillas y perdi el trabajo", "self_harm"),
    ("la esposa de un trabajador tiene miedo de volver porque el la amenazo de muerte", "other"),
    ("un alumno de 10 años llego con marcas de correa en la espalda", "child"),
    ("a veces pienso que seria mas facil no estar", "self_harm"),
    ("una señora acaba de venir a la oficina toda golpeada, q hago", "other"),
    ("su conviviente le rompio la nariz a una señora de la comunidad", "other"),
]
GENERALISED_CALM = [
    "me toca presentar el informe de la instancia",
    "a quien le toca convocar la sesion de la instancia",
    "la secretaria tecnica le toca a la gerencia o a la oficina de la mujer?",
    "gritar a los hijos es violencia psicologica?",
    "insultar a la esposa es delito?",
    "que pasa si una mujer llega con moretones a la muni",
    "cuando una victima llega con la cara hinchada a quien derivamos",
    "me muero de risa con este bot",
    "si me muero de hambre en la reunion jaja",
    "un colega me pregunto si quitarle el celular a la pareja es violencia economica",
    "necesito veneno para ratas para el almacen de la muni",
    "como se atiende a una mujer que llega con moretones al cem",
    "una mujer que es golpeada por su pareja puede pedir medidas de proteccion?",
    "la instancia debe hacer campañas contra el castigo fisico a los niños",
    "si una niña de 13 esta embarazada es violencia sexual?",
    "las amenazas de muerte son violencia psicologica?",
    "el taller de hoy me mato de cansancio",
    "quisiera desaparecer este formato del sistema, no sirve",
    "mejor no estar en la reunion de mañana",
]


@pytest.mark.parametrize(("text", "label"), GENERALISED_CASES)
def test_generalised_cases_are_caught_with_the_right_reply(text: str, label: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == label, (text, crisis)


@pytest.mark.parametrize("text", GENERALISED_CALM)
def test_generalised_topic_questions_stay_calm(text: str) -> None:
    assert detect_crisis(text) is None


# Third-party disclosures in many shapes, and passive thoughts of death, each with the reply
# for its kind; calm questions and office complaints that share their words.
THIRD_PARTY_AND_PASSIVE = [
    ("una colega llega con moretones", "other"),
    ("mi compañera de trabajo llega con moretones", "other"),
    ("una mujer de la oficina llega con moretones", "other"),
    ("tengo una compañera que llega con moretones casi todos los dias", "other"),
    ("mi vecina dice que su esposo la amenaza", "other"),
    ("su esposo la amenaza", "other"),
    ("su esposo la tiene encerrada", "other"),
    ("su pareja no la deja salir de la casa", "other"),
    ("a mi hermana la tiene encerrada su esposo", "other"),
    ("una señora de mi barrio, su esposo la tiene encerrada", "other"),
    ("hay una señora en mi trabajo que su esposo la amenaza", "other"),
    ("una colega me confeso que su marido la golpea", "other"),
    ("mi vecina aparecio con el ojo morado", "other"),
    ("la señora de la tienda llega golpeada", "other"),
    ("mi cuñada esta siendo maltratada por su esposo", "other"),
    ("mi papa le pega a mi mama", "other"),
    ("el marido de una compañera la amenaza con matarla", "other"),
    ("la vecina grita todas las noches y se escuchan golpes", "other"),
    ("una vecina grita pidiendo auxilio", "other"),
    ("hoy llego una señora toda golpeada a la oficina", "other"),
    ("mi vecina tiene la cara hinchada, creo que su esposo le pega", "other"),
    ("un alumno llega con moretones al colegio", "child"),
    ("mi esposo me tiene encerrada", "self"),
    ("mi esposo me pega, ya no aguanto mas", "self"),
    ("quisiera dormir y no despertar", "self_harm"),
    ("ya no aguanto más", "self_harm"),
    ("ultimamente siento que ya no aguanto mas", "self_harm"),
    ("mejor sería no estar", "self_harm"),
    ("a veces pienso que mejor seria no estar aqui", "self_harm"),
    ("para qué seguir", "self_harm"),
    ("no se para que sigo", "self_harm"),
    ("para que seguir asi", "self_harm"),
    ("ojala no despertara mañana", "self_harm"),
    ("preferiria no existir", "self_harm"),
    ("a veces quisiera desaparecer de este mundo", "self_harm"),
    ("ya nada vale la pena", "self_harm"),
    ("mi hermana dice que ya no quiere vivir", "self_harm"),
    ("mi compañera me dijo que ya no quiere vivir", "self_harm"),
    ("mi hija dice que quisiera morirse", "self_harm"),
    ("una usuaria me dijo que piensa en quitarse la vida", "self_harm"),
    ("mi amiga dice que mejor seria no estar", "self_harm"),
    ("mi compañera de oficina siempre llega con lentes oscuros y moretones", "other"),
    ("la esposa del regidor llega con golpes a la oficina", "other"),
    ("la mama de un alumno vino golpeada a la reunion", "other"),
    ("una trabajadora me dijo que su esposo la encierra con llave", "other"),
    ("mi vecina de al frente vive encerrada, su esposo no la deja salir ni a comprar", "other"),
    ("una vecina tiene miedo porque su esposo dijo que la va a matar", "other"),
    ("el padrastro de una alumna le toca sus partes", "child"),
    ("siento que ya no vale la pena seguir", "self_harm"),
    ("estoy tan cansada que quisiera dormir para siempre", "self_harm"),
    ("ojala me pasara algo y ya no despertar", "self_harm"),
    ("mejor seria que yo no estuviera", "self_harm"),
    ("todos estarian mejor si yo no estuviera", "self_harm"),
    ("mi amiga me dijo que ya no aguanta mas y que quisiera desaparecer", "self_harm"),
    ("una compañera dice que ya no quiere seguir viviendo", "self_harm"),
    ("una mujer que atendimos hoy tiene el ojo morado", "other"),
    ("ya no encuentro razones para seguir", "self_harm"),
    ("me dan ganas de no existir", "self_harm"),
    ("quisiera que todo se acabe de una vez", "self_harm"),
    ("hay dias en que quisiera no despertar", "self_harm"),
]


@pytest.mark.parametrize(("text", "label"), THIRD_PARTY_AND_PASSIVE)
def test_third_party_and_passive_get_the_reply_for_their_kind(text: str, label: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == label, (text, crisis)


@pytest.mark.parametrize(
    "text",
    [
        "¿qué es la violencia psicológica?",
        "¿cómo se denuncia?",
        "que hago si una mujer llega con moretones a la muni",
        "que hacer cuando una usuaria tiene moretones",
        "ya no aguanto mas con este reporte",
        "ya no aguanto mas este sistema",
        "para que sirve la instancia",
        "para que seguir con el plan si nadie asiste",
        "para que seguir llenando fichas si nadie las lee",
        "mejor seria no estar en la reunion",
        "el encierro forzado es violencia?",
        "que dice la ley 30364 sobre el encierro",
        "como derivar un caso de suicidio",
        "la prevencion del suicidio es parte del plan?",
        "que hacer si la victima no quiere denunciar",
        "si se escuchan golpes en una casa a quien llamo",
        "el maltrato psicologico cuenta como violencia",
        "que pasa si el agresor incumple las medidas de proteccion",
        "quisiera desaparecer este formato del sistema",
        "en la sesion hablamos de como atender a mujeres que llegan con moretones",
        "el CEM atiende a mujeres amenazadas por su pareja?",
        "los golpes son violencia fisica?",
        "la linea 113 atiende casos de suicidio?",
        "cuales son las señales de riesgo de feminicidio",
        "el plan debe incluir la prevencion del suicidio adolescente?",
        "ya no aguanto el calor de la oficina",
        "quisiera no estar a cargo del informe",
        "mejor seria no estar en el comite",
        "siento que la instancia no avanza",
        "si una mujer que atendemos tiene el ojo morado, a donde la derivo",
    ],
)
def test_calm_questions_near_those_words_raise_no_alarm(text: str) -> None:
    assert detect_crisis(text) is None, text


WRITERS_SURNAMES = [
    "Soy Marisol Correa, de la DEMUNA: las alumnas del colegio no se animan a llamar, "
    "¿el Chat 100 es confidencial?",
    "Le saluda Pedro Machado, de la subgerencia. ¿Cuándo sesiona la instancia con el "
    "municipio escolar de los niños?",
    "Buenas, soy la Lic. Gloria Palo Cuchillo, ¿los niños de la DEMUNA entran en el plan?",
]


def test_a_crisis_told_after_the_writers_name_is_still_read() -> None:
    for text in ("Soy Ana Correa y mi esposo me pega con la correa", "soy Luz, mi pareja me pega"):
        crisis = detect_crisis(text)
        assert crisis is not None and crisis.label == "self", text


WRITER_AT_HOME_WITH_HIM_RAGING = [
    # The writer's own partner raging, nobody else named: the writer is the one at risk.
    "mi conviviente volvio borracho y esta rompiendo los platos",
    "mi marido esta pateando las puertas y gritando",
    "mi pareja llego ebrio y esta destrozando la casa",
    # Hiding from him, or her children with her while he is at the door.
    "le escribo bajito para que no me escuche, esta gritando afuera y pateando la puerta",
    "mis hijos estan conmigo en el cuarto, el esta afuera rompiendo la puerta",
]


SOMEONE_ELSE_NAMED = [
    ("mi esposo le pega a mi cuñada cuando toma", "other"),
    ("mi cuñada dice que su marido rompe todo cuando toma", "other"),
]


DISASTERS_THAT_DESTROY = [
    "el huaico destrozo todo en el anexo, como apoyamos a las mujeres damnificadas",
    "la lluvia destrozo la casa comunal donde sesiona la instancia",
]


PARTNER_FORCING_HER = [
    "me toca dar una charla de violencia sexual y no se si es violacion entre esposos, "
    "pregunto porque mi marido me obliga los sabados cuando toma",
    "¿la violación en el matrimonio está en la ley? mi esposo me fuerza y dice que es su derecho",
]


def test_a_partner_who_makes_her_go_to_a_meeting_is_no_sexual_violence() -> None:
    text = "mi esposo me obliga a ir a la charla de violencia sexual de la instancia"
    assert detect_crisis(text) is None


CHILDS_FEAR_WHEN_SOMEONE_COMES_NEAR = [
    "la auxiliar del jardin nos aviso que una niña llega con moretones en los brazos y "
    "tiembla cuando alguien le alza la voz, ¿eso lo ve la DEMUNA?",
    "un alumno de tercero viene con marcas en las piernas y se esconde cuando un adulto se "
    "le acerca, la profesora pregunta a quien avisar",
]


def test_a_protocol_question_about_when_a_child_comes_hurt_stays_calm() -> None:
    assert detect_crisis("que debe hacer el docente cuando un alumno viene con moretones") is None


FAREWELLS_OF_WORK_OR_A_LAST_WORD = [
    "les dejo las claves del correo y el padron en el escritorio para mi reemplazo. ya no "
    "voy a molestar mas, cuiden la instancia",
    "todo el archivo de la mesa queda para quien venga despues de mi, no voy a ser una "
    "carga para nadie",
    "tengo el frasco de pastillas aqui conmigo, solo quiero que alguien sepa que hice lo "
    "que pude por mis hijos",
]


WORK_HANDED_OVER_CALMLY = [
    "el acta queda para quien me reemplace en la secretaria tecnica, cuando se elige?",
    "ya deje las claves y los archivos para quien me reemplace, gracias por todo",
    "dejo todo ordenado para mi reemplazo porque me cambiaron a la gerencia, gracias",
    "quiero que sepan que hice todo lo que pude con el informe, no me alcanzo el tiempo",
]


INSTRUMENTS_SYSTEMS_NEW_POSTS_AND_PILLS = [
    "mi hija le toca la guitarra a su abuelo los domingos",
    "mi sobrina le toca el cajon a su tio en la fiesta patronal",
    "ya nada tiene sentido con este sistema, se cuelga a cada rato",
    "consegui las pastillas anticonceptivas en la posta para el taller de planificacion",
    "ya no voy a estar por aca, desde el lunes empiezo en el gobierno regional, gracias por todo",
    "no creo que me vean en la sesion del jueves porque tengo campo, cuiden el padron",
    "yo pongo la mano al fuego por la secretaria tecnica",
]


FAREWELLS_AND_HANDS_LAID_ON = [
    ("no creo que me vean en la reunion del lunes, cuiden a mis hijos", "self_harm"),
    ("ya no me van a ver de nuevo, gracias por todo y perdon", "self_harm"),
    ("ya no voy a estar por aca, renuncie, nadie me va a extrañar", "self_harm"),
    ("ya nada tiene sentido en esta vida", "self_harm"),
    ("el chofer de la combi le pone la mano a las chicas del colegio", "child"),
]


SUPPOSED_CASES_AND_STRUCTURES = [
    "para nuestro protocolo: cuando una señora golpeada llega a la DEMUNA, ¿a qué servicio la "
    "mandamos primero?",
    "en el simulacro del comité el caso era una joven amenazada por su ex, ¿qué institución "
    "la atiende de noche?",
    "me explicaron que hay un sistema nacional, pero no sé cómo está armado ni quién lo dirige",
]


LAST_WORDS_AND_OWNED_CASES = [
    ("buenas, solo queria despedirme, disculpen el informe a medias. diganle a mi hijo que lo "
     "quise mucho", "self_harm"),
    ("ya tengo el frasco de pastillas aqui en el velador, solo queria que alguien supiera",
     "self_harm"),
    ("para el taller de violencia sexual: si la esposa le dice que no y el igual la obliga, "
     "cuenta? pregunto porque me pasa a mi", "self"),
]  # fmt: skip


def test_a_protocol_with_someone_in_danger_now_is_still_a_crisis() -> None:
    crisis = detect_crisis("para el protocolo: ahorita hay una señora golpeada en la oficina")
    assert crisis is not None and crisis.label == "other"


ROUND_T_CASES = [
    ("perdone la demora, mi esposo revisa mi celular y si ve que escribo a alguien se pone mal",
     "self"),
    ("ya le dieron medidas de proteccion pero igual vino a buscarme a la salida", "self"),
    ("mi papa llego tomado y pateo la puerta del cuarto donde estoy con mi mama", "self"),
    ("una señora de la comunidad no sale hace dias, la gente comenta que la ultima vez tenia "
     "el ojo morado, a quien aviso?", "other"),
]  # fmt: skip
ROUND_T_CALM = [
    "el taller de ayer fue una masacre, no llego nadie jaja, el mimp nos apoya con asistencia?",
    "atendimos a una abuelita que su nieto la insulta, ¿a quiénes alcanza la protección de la "
    "ley dentro de la familia?",
    "el taxi viene a buscarme a las 6 para ir a la sesion",
    # Set U: a programme renamed is no one gone.
    "en la mesa creen que desaparecio el programa aurora y vino otro, es el mismo con otro "
    "nombre?",
]

# Sets R to T's shapes, in new words: who is at risk, and the calm messages beside them.
NEW_CASES = [
    *((text, "self") for text in WRITER_AT_HOME_WITH_HIM_RAGING),
    *SOMEONE_ELSE_NAMED,
    *((text, "self") for text in PARTNER_FORCING_HER),
    *((text, "child") for text in CHILDS_FEAR_WHEN_SOMEONE_COMES_NEAR),
    *((text, "self_harm") for text in FAREWELLS_OF_WORK_OR_A_LAST_WORD),
    *FAREWELLS_AND_HANDS_LAID_ON,
    *LAST_WORDS_AND_OWNED_CASES,
    *ROUND_T_CASES,
]
NEW_CALM = [
    *WRITERS_SURNAMES,
    *DISASTERS_THAT_DESTROY,
    *WORK_HANDED_OVER_CALMLY,
    *INSTRUMENTS_SYSTEMS_NEW_POSTS_AND_PILLS,
    *SUPPOSED_CASES_AND_STRUCTURES,
    *ROUND_T_CALM,
]


@pytest.mark.parametrize(("text", "label"), NEW_CASES)
def test_new_shapes_get_the_reply_for_who_is_at_risk(text: str, label: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == label, (text, crisis)


@pytest.mark.parametrize("text", NEW_CALM)
def test_new_calm_shapes_raise_no_alarm(text: str) -> None:
    assert detect_crisis(text) is None, text
