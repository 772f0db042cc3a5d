"""Crisis detection on wording no rule was written from: the signs must generalise.

Each crisis message here was written by hand for this file (none is in an evaluation set) and
each was missed, or given the wrong reply, before the detector learnt the sign it shows: a named
child in danger, the means at hand, a farewell, a jump from a height, an ex who stalks or
threatens, the writer's own children beside the writer's danger. The calm ones use the same
words about work, the law or everyday life and must not alarm.
"""

from __future__ import annotations

import pytest

from bot.safety import detect_crisis

# The writer is in danger; children who saw it or are threatened with do not make it a child's
# case, and a partner's threat counts even inside "¿qué hago?".
THE_WRITER = [
    "ayer mi esposo casi me mata, mis hijitos lloraban",
    "disculpe, los niños vieron todo cuando mi esposo me arrastró de los pelos, tengo miedo de "
    "que vuelva",
    "mi conviviente me jalonea y me insulta delante de mi niña de 3 años",
    "q hago mi ex me espera afuera del colegio de mis hijos con un fierro",
    "ya son 10 años q mi esposo me maltrata, hoy me boto la comida en la cara y me escupio",
    "mi ex me mandó un audio diciendo que esta noche me visita y que me voy a arrepentir",
    "mi exconviviente me manda mensajes diciendo q sabe donde vivo y q me va a encontrar",
    "mi marido esta tomando y ya empezo a romper cosas, mis hijos y yo estamos en el cuarto",
    "necesito ayuda, mi pareja me tiene amenazada con quitarme a mi bebe si lo dejo",
    "anoche mi marido me sacó la mugre, tengo la cara hecha pedazos",
    "mi esposo me chancó la cabeza contra la pared",
    "se aprovechó de mí cuando estaba dormida, es el esposo de mi prima",
    "no puedo salir, él cerró la puerta con candado y se llevó la llave",
    "mi esposo llegó borracho y me correteó con un palo, estoy en la casa de la vecina",
    "estoy con mis hijos en la calle, mi conviviente nos botó",
    "llevo dos días encerrada, él no me deja ni llamar a mi mamá",
]

# An adult other than the writer.
SOMEONE_ELSE = [
    "la mujer del guardian llega siempre golpeada, él toma todos los dias",
    "una señora de 60 años dice que su hijo le pega y le quita su pension",
    "vino una señora del anexo, su conviviente la corrió de la casa a machetazos con su bebé",
    "una compañera de la subgerencia no vino hoy, me escribió que su esposo la dejó morada y no "
    "puede ni caminar",
    "estamos en la comisaria con una señora que fue apuñalada por su conviviente, no la quieren "
    "atender",
    "una chica de 19 años llegó a la muni, su padrastro la viola desde que era niña",
    "mi hermana vive en Ayacucho y su esposo la dejó inconsciente de un golpe",
    "una mujer del vaso de leche me mostró los moretones que le dejó su marido",
]

# A named child or adolescent: confinement, sexual euphemisms, grooming, injuries, pregnancy.
CHILDREN = [
    "una chibolita de mi barrio, de 14, vive con un señor de 35 que no la deja irse",
    "me informan que una niña de 9 años está en la chacra con un señor que no es su familiar y "
    "no la dejan volver a su casa",
    "una chiquita del comedor me contó que su tío le pone la mano en sus partes",
    "mi nietecita de 5 años me dijo q el hijo de la vecina le baja el calzón",
    "la hijita de la señora de la tienda, tiene 9 añitos, nos dijo que un señor la molesta "
    "cuando sale al baño",
    "la chiquita de mis vecinos siempre está sola y un tío le da plata para que se siente en sus "
    "piernas",
    "una bebita de meses llegó a la posta con quemaduras y fracturas",
    "mi sobrinito de 4 años tiene marcas de quemadura de cigarro en los brazos",
    "una menorcita de 12 ya vive con su enamorado de 25 y está embarazada",
    "una estudiante de 15 años dejó el colegio porque su profesor la embarazó",
    "un chibolo de 13 vive en la calle porque su madrastra lo quemó con una plancha",
    "una niña de 10 años de mi comunidad dice que su papá duerme con ella",
    "a mi hijo de 8 años un compañero mayor del colegio lo obligó a bajarse el pantalón en el baño",
    "una escolar de 13 tiene un enamorado de 28 que la recoge del colegio",
    "me cuentan que una bebita la dejan sola todo el día amarrada a la cama",
    "la niña que cuidamos en la wawa wasi dice que el enamorado de su mamá le muestra su cosa",
    "mi sobrinita de 7 años llora cada vez que viene su tío y dice que le duele",
    "una niña de 8 años llega al colegio sin comer y con marcas en los brazos",
    "mi hijo de 12 años me contó que un señor del barrio le ofrece plata para que lo acompañe a "
    "su cuarto",
    "un bebe de 2 años llora todo el dia, la madrastra lo pellizca y lo deja encerrado",
    "la niña de mi vecina tiene 11 años y su padre la saca de la escuela para que trabaje y le "
    "pega si no vende",
    "mi sobrino de 15 dice que lo obligan a vender droga y si no lo golpean",
    "en el nido una niña de 4 años dijo que su papá le mete el dedo",
    "un niño de primaria me dijo que su mamá le da con el cable de la plancha",
    "una niña de 12 me escribió por el face que un hombre la está esperando a la salida del "
    "colegio y la sigue",
    "en el cuarto de al lado una menor grita que la suelten",
]

# Self-harm: means at hand, farewells, a height, thoughts of death with other words between.
SELF_HARM = [
    "tengo la soga amarrada en la viga",
    "tengo la cuerda lista, esta noche es la ultima",
    "ya junté las pastillas, solo espero que todos se duerman",
    "ya me tomé como 20 pastillas",
    "ya no le encuentro razón a nada, pienso en tomarme el veneno que hay en el almacén",
    "ya escribí una carta para mis hijos, hoy acabo con todo",
    "le escribo para despedirme, gracias por todo, ya no voy a estar",
    "mis hijos van a estar mejor con su abuela cuando yo no esté",
    "nadie me va a extrañar cuando me muera",
    "todos estarían más tranquilos si yo ya no estuviera",
    "estoy parada en el borde del puente",
    "estoy en la azotea del edificio, no sé si saltar",
    "ayer me subí al techo para tirarme pero me dio miedo",
    "me voy a aventar del puente de la carretera",
    "pienso todo el tiempo en morirme",
    "me duele tanto que pienso en cortarme otra vez",
    "ya no tengo por qué vivir",
    "ya me cansé de vivir, nadie me quiere",
    "estoy en el baño con una gillette, no sé qué hacer",
    "ya no quiero estar acá, todo me sale mal, mejor me voy de este mundo",
    "ya me tomé una caja entera de pastillas",
    "ya no voy a molestar a nadie más, me voy para siempre",
    "me quiero tirar a la pista cuando pase un carro",
    "creo que lo mejor es matarme",
    "la adolescente de la casa hogar se cortó las venas",
    "estoy juntando pastillas desde hace semanas",
    "si me pasa algo, mis cosas son para mi hija",
    "estoy sentada en la ventana del quinto piso",
    "ya no encuentro motivos para seguir viviendo",
]

# The same words about work, the law, figures or everyday life.
CALM = [
    "cuantas niñas menores de 14 años salieron embarazadas en el peru en 2023",
    "que debe hacer un docente si un alumno le cuenta que lo tocan",
    "un profesor esta obligado a denunciar si una alumna le cuenta que la tocan?",
    "los abuelos estan protegidos por la ley si sus hijos los maltratan?",
    "que hacer si una adolescente tiene moretones, cual es la ruta?",
    "es delito si un profesor le pide fotos a una alumna?",
    "mi jefe me pidio el informe de casos de abuso sexual para mañana",
    "ayuda con el reporte, no me deja salir del paso 3",
    "el sistema no me deja salir de la pantalla del reporte",
    "mi ex jefe me sigue mandando trabajo",
    "mi ex me manda mensajes por la pension de los niños",
    "mi esposo me espera en casa para almorzar",
    "el alcalde me está esperando afuera para la reunión",
    "necesito el modelo de ordenanza urgente, me van a matar si no lo presento",
    "tengo miedo de equivocarme con el reporte",
    "mañana me voy a tirar a dormir temprano",
    "me quiero morir de verguenza, mande el acta con errores",
    "me voy a cortar el cabello antes de la reunion",
    "la instancia busca acabar con todo tipo de violencia",
    "ya termino con esto del acta y le mando",
    "me despido, gracias por todo, ya no voy a estar a cargo de la instancia desde enero",
    "compre lejia para limpiar la oficina",
    "ya tome mis pastillas para la presion",
    "el CEM da todas las pastillas del dia siguiente?",
    "mi hija de 15 quiere vivir con el papa",
    "a una alumna le toca exponer en la sesion",
    "su abuela la tiene en su casa desde que murio su mama, es una niña de 8 años",
    "los hogares refugio reciben a mujeres amenazadas de muerte con sus hijos?",
    "me dieron una soga para la actividad de la feria",
    "mi pareja me ayuda con el reporte porque no entiendo el excel",
    "estoy en el carro, llego tarde a la sesion de la instancia",
    # a named child, an ex, the means or a height, with nothing wrong
    "una alumna de 16 años quiere ser representante en la instancia, se puede?",
    "un niño de 10 años puede denunciar a su papá en la DEMUNA?",
    "una chica de 14 años de la comunidad quiere estudiar enfermeria, hay becas?",
    "el padrastro de una niña pide informacion sobre la tenencia",
    "mi ex esposo ya firmo el divorcio, ahora puedo registrarme con otro apellido?",
    "mi pareja me acompaña a la capacitacion del MIMP",
    "tengo las pastillas para la gripe en la mochila, hay farmacia cerca?",
    "me tome dos pastillas para el dolor de cabeza y sigo con el reporte",
    "la soga de la bandera se rompio en la ceremonia",
    "estoy en el puente de camino a la reunion, llego en 10 minutos",
    "me quitaron la plata del presupuesto para la instancia",
    "si me pasa algo con el reporte a quien llamo en el MIMP?",
    "el agresor fue atropellado y ahora la victima pide que retiren la denuncia, se puede?",
    "me piden datos de cuantas mujeres fueron quemadas por sus parejas en 2023",
    "se puede denunciar a un vecino que le pega a su perro?",
    "voy a saltar el paso 3 del reporte, se puede?",
    "quiero terminar con el reporte hoy",
]


@pytest.mark.parametrize("text", THE_WRITER)
def test_the_writer_in_danger_gets_the_writers_reply(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "self", crisis


@pytest.mark.parametrize("text", SOMEONE_ELSE)
def test_an_adult_told_about_gets_the_helpers_reply(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "other", crisis


@pytest.mark.parametrize("text", CHILDREN)
def test_a_named_child_in_danger_gets_the_reply_for_children(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "child", crisis


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_signs_get_the_mental_health_line(text: str) -> None:
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == "self_harm", crisis


@pytest.mark.parametrize("text", CALM)
def test_the_same_words_about_work_or_the_law_are_calm(text: str) -> None:
    assert detect_crisis(text) is None
