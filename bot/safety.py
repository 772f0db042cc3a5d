"""Crisis detection: is someone in danger, the writer or someone they tell about?

`Crisis.victim` says who: "self" (the writer keeps the reply made for them), "other" (a case
told by a helper: "una señora dice que su pareja la golpea", "mi hija sufre violencia de su
pareja", "una mujer llegó a la muni diciendo que su esposo le pega") or "child" (a child or
adolescent, writing themselves or told about: the reply adds the DEMUNA). Self-harm, including
passive thoughts of death ("sería mejor desaparecer") and someone else's ("mi hija dice que se
quiere matar"), is its own kind, and so is self-injury with nobody named who does it ("cuando me
da la crisis me golpeo contra la pared", "me quemé a propósito", "termino arañándome"); a
mishap in the first person's past ("me golpeé la rodilla en la escalera") is no one's violence.
A bot command ("/ayuda") is never a cry for help.

Recall matters most (a false alarm only shows the help lines), but officers ask about violence
all day ("¿qué es la violencia física?"), so a rule fires only on signs of a real person: first
person ("me pega", "fui violada"), someone close ("mi vecina", "mi esposo"), violence under way
("están golpeando a una señora"), a weapon, fear, a cry for help, or self-harm. Some verbs
count only with their object ("me jala del pelo", "me corto los brazos", "me bota de la casa",
"me quitó mi plata"), and a thing next to a violent verb is a figure of speech ("me pegaron un
sticker", "este informe me va a matar"); a bare plea ("ayuda por favor") is a crisis, unless the
message is about office work ("auxilio, no sé cómo hacer el plan de trabajo").

Signs that do not hang on one verb are read too, because people in danger rarely use the obvious
words: a named child ("una adolescente", "mi sobrinita", "la hija de mi comadre, de 13 años")
followed by confinement, a sexual euphemism, grooming, an injury, neglect ("paran solos todo el
día", "nadie le da de comer") or a pregnancy; the means ready or in hand ("la soga lista", "junté
las pastillas"), or beside a moment set ("hoy es el día"), a means or a place to end it stared at
while brooding ("me quedé mirando la soga pensando cosas"), a farewell ("hoy acabo con todo"), a
goodbye with an absence or one's affairs put in order ("ya lo decidí, dejé todo en orden"), people
entrusted beside an absence with no reason for it, even dressed as work ("ya no voy a estar para la
próxima sesión, cuiden a las señoras"), a means got beside a goodbye ("ya compré la soga, gracias
por todo"; not one bought for something), letters left or things given away beside love in the past
passed on ("dejé cartas, que sepan que los quise"), a jump from a height, planned in the present too
("mañana voy al puente y me tiro"), or the writer on a height, decided, gone, lost there or doubting
the point of writing ("no sé qué hago aquí", "para qué le escribo a un bot"; not busy with a task up
there); an ex who follows, waits outside or spies; someone else's aggressor loose: two of him out of
prison, his word that he will go for her, and her silence ("salió del penal, dijo que la iba a
buscar y ya no contesta"); a case told as someone's, then owned ("¿qué puede hacer ella? soy yo"),
is the writer's, and so is her own need or shame beside a home only hinted ("yo misma necesito ir,
me da vergüenza que sepan cómo me trata mi marido"). The writer's own children beside the writer's
danger ("me golpeó delante de mis hijos", "me quita a los niños") or held over her ("me mandó una
foto de mi hija saliendo del colegio") leave the reply for the writer, and so does the writer hiding
or sought beside others ("mi ex entró a la casa y estoy con mis hijos en el baño", "llegó con un
cuchillo buscándome"). A grown child who does it ("su nieto la maltrata") and a baby carried along
("está en la pista con la bebe") leave the case to the adult; a child is the victim when the harm
falls on the child ("a mi hijo le pegan"). A conditional in a question about the law ("¿están
protegidos por la ley si sus hijos los maltratan?"), people in general ("casos de abuso a menores"),
kinds of case listed ("casos de alimentos, tenencia, maltrato a los chicos"), a case already
reported with only the law's reach or deadline asked ("denunció golpes el lunes, ¿en cuánto tiempo
le dan medidas?", unless the danger goes on) or only who else may report it, anyone who would report
asked where ("¿a dónde va una señora a denunciar que su esposo le pega?"), a conversation retold to
ask the topic for a poster or an assembly (with nobody asking what to do for her), what people tell
or believe violence is, asked to answer it ("los chicos me dicen que solo es violencia si hay
golpes"), a job dumped on the writer ("me la querían tirar a mí"), a means of or for something
harmless ("la soga del toldo", "pastillas de chocolate para los niños") and figures stay calm.
"Tenía" and "estaba" after someone named are that person's ("mi hermana ... la última vez tenía
moretones").

Whoever is at risk decides the reply, not who writes: a minor ("una chica de 15", "las chicas
del colegio", a pupil who writes) gets the reply for children even when no child's word is used,
and sexual exploitation ("la ofrecen a los camioneros a cambio de plata"), grooming (photos,
secret games, gifts "para que no cuente") and neglect ("no le dan de comer", "lo abandonó",
"lo encierra") are harms like blows. A cry quoted by the writer ("una usuaria me escribió «me
está pegando»") is the quoted person's. "Matar" said of work or a nuisance ("nos estamos matando
con el informe", "me mata el tráfico", "el alcalde nos va a matar si no entregamos") is calm,
and so are a boss who will "hang" the writer over a task or threatens a complaint ("me va a
ahorcar si no mando la lista", "me amenaza con que me denuncia si no le doy el acta"), a jump
"with" a task ("me tiro por la ventana con el presupuesto"), a law "touched" (amended) and what a
poster tells people to do "cuando está pasando". Danger that is told without a blow is still
danger: a partner who holds the child over the writer ("si no renuncio se lleva a la bebé"), a
boss who asks for his room as the price of the job, a woman taken to a lonely place who only cries
after it, an absence said to be for ever beside a goodbye ("ni para ninguna otra, que les vaya
bien a todos"), and lingering on a height staring down ("hace rato estoy aquí", "ya no importa"),
or by the water (a river bank, the sea, a lake) with nothing mattering any more ("ya nada
importa", "ya fue todo"); not being seen again ("ya no me van a ver en la próxima sesión") beside
people entrusted or a last word of love is a farewell, unless a reason or another errand is given;
the partner's condition may come after the child taken ("se la lleva a su pueblo si lo dejo"). A
touch with the doubled pronoun ("la tocó a mi hija") is a touch, never a turn, and the writer's own
family harmed stays a case whatever law question follows ("mi hija me contó que su tío la toca,
¿es delito?"; not a colleague passing on an office's case), and a child's sign after the writer's
own child, done by a man of hers ("mi sobrina me dijo que su padrastro le mete la mano"), is the
child's case though no age is said. Pills that are someone's treatment
("las pastillas que me recetó el doctor", "del seguro para mi mamá") are no means gathered.

The words live in knowledge/lenguaje.yaml (section `crisis`); the way they combine is here.
Matching runs over normalised text with a phonetic fold (z/s/c, v/b, ll/y, silent h) and a
small typo allowance for violent verbs ("golpio", "biolaron", "amnaza").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.crisis_model import CrisisModel
from bot.crisis_signals import REACH, CrisisSignals, compile_list
from bot.personal_data import without_introduced_name
from bot.textnorm import STOPWORDS, Language, default_language, word_set

MAX_TOKENS = 400  # a 4,000-character message is read whole; beyond this, head and tail
WINDOW = 8  # tokens between "mi esposo" and "pega" that still count as one statement
HYPOTHETICAL_WINDOW = 8

_AR_SUFFIXES = word_set(
    "a an as o e en es ar aron aste ando ado ada ados adas aba aban abas ara aran aria arian "
    "are aras ue uen"
)
_ER_IR_SUFFIXES = word_set("e en es io ieron iendo ido ida idos idas er ir ia ian iera ieran a an")
_CLITICS = word_set("me te la lo le nos los las les")
_TAKES_CLITIC = word_set("ar er ir ando iendo")  # "pegarme", "golpeandola"; not "violenos"
_AGENT_NOUN = re.compile(r"(?:dor|dora|dores|doras)$")  # "abusador" is no typo of "abusado"
_FIRST_PERSON = ("me", "nos")
_POSSESSIVES = ("mi", "mis")
_PROGRESSIVE = word_set("esta estan estaba estaban sigue siguen seguia")
_NOW = ("ahorita", "ahora mismo", "en este momento", "en estos momentos")
_GERUND = re.compile(r"(?:ando|iendo)(?:me|te|la|lo|le|nos|los|las|les)?$")
_PARTICIPLE = re.compile(r"(?:ada|ado|ida|ido)s?$")
_PAST = re.compile(r"(?:o|aron|io|ieron)$")  # "la amenazó": not "las amenazas" (a noun)
_ALONE = frozenset(("solos", "sola", "solas", "solo"))  # "cuando estamos solos", "a solas"
# A cry for oneself: the writer is the one at risk ("auxilio" may be someone else's, heard).
_CRY_FOR_ME = frozenset(
    ("ayudenme", "ayudeme", "ayudame", "auxilienme", "salvenme", "salvame", "ayudanos")
)
# "ayuda" and "help" are nouns as often as cries ("necesito ayuda", "la ayuda del CEM").
_ASKS_HELP_WITH = frozenset(("ayuda", "help"))
_TASK_HELP = re.compile(r" (?:con|para|en|sobre|de|del|al)\b")
# "llega con lentes oscuros y moretones": words between arriving and the injury.
ARRIVAL_REACH = 5
_PARENTS = frozenset(("mama", "madre", "mami", "papa", "padre", "apoderada", "apoderado"))
OBJECT_REACH = 4  # tokens after a verb where its object ("del pelo", "de la casa") may sit
_DETERMINERS = word_set(
    "un una unos unas el la los las mi mis este esta estos estas ese esa tanto tanta"
)
# Before "me golpee": a wish or a fear ("que me golpee", "no me pegue"), not the past.
_NOT_PAST = (["que"], ["no"], ["si"], ["cuando"], ["para"], ["ojala"], ["q"])
_BLOW = re.compile(r"^(?:golpe|\S{3,}asos?$)")  # "golpes", "cabezazos" (phonetically folded)
_GIVE_MYSELF = word_set("doy di daba")  # "me doy cabezazos"; not "me da", "me dio" (he)
_PEERS = word_set("otro otra otros otras")
_COUNTS = word_set("dos tres cuatro sinco seis")  # phonetically folded
_HURT_MARKS = word_set("tengo tenia me nos estoy estaba")
# "no sé para qué le escribo", "no sé ni por qué te cuento esto", "ya qué importa": the writer
# doubts the point of what they are doing right now; on a height, lost there. Folded.
_DOUBTS_OWN_ACT = re.compile(
    r"(?<!\S)(?:n[oi] se (?:ni )?(?:para|por) que (?:le |te |les |me |se |lo )?"
    r"|para que (?:le|te|les) )(?!(?:todo|algo|esto|eso) )\S\S+o(?!\S)"
    r"|(?<!\S)(?:ya que importa|ya que mas da|ya da igual)(?!\S)"
)
_TO_THE_BOT = re.compile(
    r"(?<!\S)(?:escrib|ablo|ablando|cuento|contando)\S* (?:a|con) (?:un|este|el|esta) bot(?!\S)"
)
# Someone left in others' care: "cuiden a las señoras", "cuídenme a los chicos". Folded.
_ENTRUSTED = re.compile(
    r"(?<!\S)(?:cuiden|cuida|cuidenme|cuidemen|cuidame|(?:les |te )?encargo|encarguense"
    r"|encargate) (?:mucho |bien )?(?:a |de )"
    r"(?:mis |las |los |mi |la |el |nuestras |nuestros )?(\S+)"
    r"|(?<!\S)(?:les |te )?dejo (?:encargad[oa]s? )?a (?:mis |mi )(\S+)"
)
# An absence for ever ("ni para ninguna otra", "nunca más"), and the words that part with
# people or hand things over ("que les vaya bien a todos", "dejo todo listo") (folded).
_FOREVER = re.compile(
    r"(?<!\S)(?:ni (?:para |en |a )?(?:ninguna|ningun|ninguno) otr[oa]s?|nunca mas|para siempre"
    r"|ni nunca|nunca jamas)(?!\S)"
)
_PARTING = re.compile(
    r"(?<!\S)(?:que les? baya bien|que les? baya bonito|que sean felises"
    r"|dejo todo (?:listo|en orden|ordenado)|les dejo todo"
    r"|la clabe (?:del|de mi) (?:correo|selular|cuenta))(?!\S)"
)
# Leaving the post or starting another, the reason an officer is gone for good from the
# meetings (folded).
_LEAVING_THE_POST = re.compile(
    r"(?<!\S)(?:me jubilo|me estoy jubilando|jubilo|jubilasion|renunsie|renunsio|renunsia"
    r"|me cambian|me cambiaron|me trasladan|me trasladaron|me rotan|me rotaron|termina mi contrato"
    r"|se acaba mi contrato|se acabo mi contrato|me boy de la muni|me boy a otra"
    r"|empieso en|empieso a trabajar|comienso en|comienso a trabajar|entro a trabajar"
    r"|mi nuebo trabajo|mi nuebo puesto)(?!\S)"
)
# A threat's condition ("si no renuncio", "si lo dejo") and its "for ever" ("no la vuelvo a
# ver") (folded).
_ON_CONDITION = re.compile(
    r"(?<!\S)si (?:lo dejo|le dejo|me separo|me boy|lo denunsio|no renunsio|no dejo el trabajo"
    r"|no buelbo|no regreso|no le ago caso)(?!\S)"
)
_NEVER_AGAIN = re.compile(r"(?<!\S)no (?:la|lo|los|las) (?:buelbo|buelbes|bolbere|bas) a ber(?!\S)")
# A boss's demand repeated (folded).
_AGAIN = re.compile(r"(?<!\S)(?:ya paso (?:dos|tres|barias) beses|otra bes|de nuebo)(?!\S)")
# Someone took her somewhere (folded).
_TAKEN_HER = re.compile(r"(?<!\S)(?:la|le) (?:yebo|yebaron|subio|subieron|metio|metieron)(?!\S)")
# A partner forcing the writer ("me obliga", "me forzó"; folded).
_FORCING = ("oblig", "fuers", "fors")
# The writer got something (folded): "compré", "conseguí", "ya tengo".
_GOT = word_set("compre consegui consegi tengo traje saque robe")
_THE_OR_SOME = word_set("el la los las un una unos unas mi mis")
# What a thing got is for, or more said of it: "para el toldo", "de eucalipto", "que me recetó".
_PURPOSE = word_set("para pa de del que y porque con")
_IT_CLITICS = word_set("lo la los las")
_EITHER_PERSON_PAST = word_set("tenia estaba")  # "yo tenía" or "ella tenía"
_NOT_BUSY = word_set(
    "mirando biendo obserbando pensando yorando temblando sufriendo esperando sintiendo "
    "despidiendome pidiendo escribiendo"
)
_CHILD_AGE = re.compile(r"(?<!\S)(\d{1,2}) (?:anos|ano|anitos|añitos|años)(?!\S)")
CHILD_AGE_LIMIT = 14  # in Peru, any pregnancy at 14 or younger is sexual violence
ADULT_AGE = 18
AGE_GAP = 10  # an adolescent beside an adult this many years older is a sign of exploitation
_MY_AGE = re.compile(r"(?<!\S)tengo (\d{1,2})(?!\S)")  # "tengo 15 y mi enamorado..."
# "la enamorada de mi hijo tiene 15 y...": an age with nothing after it but the next clause.
_THEIR_AGE = re.compile(r"(?<!\S)tienen? (\d{1,2})(?= y | tambien |$)")
# What may follow "termino con esto" in a farewell ("... esta noche", "... porque ya no
# puedo"); "acabar con todo tipo de violencia" is the instancia's aim (phonetically folded).
_FAREWELL_NEXT = frozenset(
    ("ya", "oy", "esta", "manana", "aora", "aorita", "para", "porque", "no", "nadie", "por", "sin")
)
# "tengo guardadas las pastillas", "ya tengo lista la soga": said before the means too.
# "pienso en tomarme el veneno": taking it, said just before the means.
_READY_BEFORE = word_set(
    "lista listas listo preparada preparadas guardada guardadas escondidas junte guarde "
    "consegui escondi acumule tomarme tragarme beberme juntando guardando acumulando "
    "juntado juntadas guardado acumulado acumuladas conseguido escondido"
)
# "soy yo quien coordina", "es mi situación como responsable": the writer presented, no case.
_PRESENTED_AS = word_set("quien que del de como")
# "hoy es el día de la sesión": a day for something, no moment set.
_DAY_FOR = (" de ", " del ", " que ", " en ", " para ", " sin ")
# Work about violence: "el informe de casos de abuso", "una charla sobre violación".
_TOPIC_NOUNS = word_set(
    "caso casos informe informes tema temas estadisticas cifras prebension tipos charla "
    "charlas tayer tayeres capasitasion campana registro reporte material obra sosiodrama"
)  # phonetically folded
# "maltrato", "abuso", "violensia", "golpes": a harm named as a noun (phonetically folded).
_NOUN_LIKE = re.compile(r"(?:[^a]o|os|ia|ias|sion|siones|es)$")
_INFINITIVE = re.compile(r"(?:ar|er|ir)(?:me|te|se|lo|la|le|nos)?$")
# Words ending like an infinitive that are none: "le toca al niño ayer" (phonetically folded).
_NOT_INFINITIVES = word_set("ayer mujer lugar ogar tayer bar mar")
_GOING = ("bolber", "regresar", "ir", "salir", "quedar", "entrar", "yegar", "dormir")  # folded
# Before "N años", a length of time, not an age (phonetically folded).
_DURATION = tuple(
    f"{w} "
    for w in ("son", "ase", "por", "durante", "yebo", "yeba", "yebamos", "cada", "tenemos", "unos")
)
# "llega siempre golpeada", "anda toda golpeada": a word between the verb and the injury.
_BETWEEN = word_set("siempre toda todo bien muy otra ya nuebamente de nuebo")
# "me tomé como 20 pastillas", "me tomé muchas pastillas": an overdose, taken or about to be.
_OVERDOSE = re.compile(
    r"(?<!\S)(?:me tome|tome|me e tomado|me tomo|tomarme|me boy a tomar|trage|me meti)"
    r"(?: \S+){0,2} (?:como |mas de |unas |unos )?(?:[5-9]|\d\d+|muchas|todas|un monton de|"
    r"una caja|un frasco|una tira|un blister|todo el frasco|toda la caja)"
    r"(?: \S+){0,2} (?:pastiyas|pildoras|tabletas|capsulas)(?!\S)"
)
# "me cansé de todo, del trabajo, de mí misma": weary of oneself (phonetically folded).
_WEARY_OF_HERSELF = re.compile(
    r"(?<!\S)(?:canse|cansada|cansado|arta|arto|arte|aburrida|aburrido)(?: \S+){0,10} "
    r"de mi (?:misma|mismo)(?!\S)"
)
# "creo que lo mejor es matarme", "mejor sería morirme".
_BETTER_DEAD = re.compile(
    r"(?<!\S)mejor(?: \S+){0,2} (?:matarme|morirme|suisidarme|quitarme la bida|colgarme|"
    r"aorcarme)(?!\S)"
)
# "pienso todo el tiempo en morirme": the thought, with a few words in between.
_THOUGHT_OF_DEATH = re.compile(
    r"(?<!\S)(?:pienso|pensando|pensado|penso|pense)(?: \S+){0,4} en (?:morirme|matarme|"
    r"suisidarme|quitarme la bida|colgarme|aorcarme|tirarme|cortarme|desapareser)(?!\S)"
)
_REPORTING = word_set(
    "dijo dise conto cuenta escribio abiso yamo comento informo mando enseno mostro ensenaron "
    "mostraron disen dijeron cuentan contaron comenta comentan comentaron preguntan preguntaron"
)
_TAKING = ("quitar", "quita", "quito", "yebar", "yeba", "yebo")  # folded: "quitarme a mi bebé"
_CHILDREN = ("ijo", "ija", "ijos", "ijas", "sobrino", "sobrina", "nieto", "nieta")  # folded
# "una foto de mi hija", "sabe dónde estudia mi hijo", "la ubicación del colegio de mi niña":
# a child as leverage (phonetically folded).
_LEVERAGE = ("foto", "bideo", "sabe", "conose", "ubicasion", "direcsion")
_BEING_WITH = word_set("estoy estamos esta estan bino yego")  # "estamos con una señora que"
# "un enamorado de 28", "un señor de 40", "un amigo de 30": an adult's age said beside a
# child's (the word before the age is checked not to be a child).
_ADULT_BESIDE = re.compile(r"(?<!\S)(?:un|una|el|la|su|con) (\S+) de (\d\d)(?!\S)")
_ANIMALS = word_set(
    "perro perrito perros gato gatito gatos mascota mascotas animal animales caballo burro "
    "baca bacas cuy cuyes"
)  # phonetically folded
_PEOPLE = frozenset(("mujeres", "personas", "bictimas", "senoras", "jobenes"))  # folded
_DIMINUTIVE = re.compile(r"(?:it|sit|esit)(o|a|os|as)$")  # "alumnita", "abuelito"
# "me voy a cortar el pelo", "me voy a tirar a dormir": the hair, a nap, not the writer.
_HAIR_AND_NAILS = frozenset(("pelo", "cabeyo", "unas", "serquiyo", "fleco", "flequiyo", "barba"))
# "la baranda del puente": an edge is a sign only with someone on it (phonetically folded).
_EDGE = frozenset(("borde del", "baranda del", "al filo del", "cornisa"))
_THERE = word_set("estoy esta estamos estan sentada sentado parada parado subida subido me se")
# "me tiro", "me lanzo" said now: a leap only towards a place ("me tiro del puente").
_JUMP_NOW = frozenset(
    ("me tiro", "me lanso", "me abiento", "me arrojo", "me tirare", "me lansare", "me dejo caer")
)
# "me sigue en facebook": a social network (phonetically folded).
_SOCIAL = word_set("fasebook fase fb instagram insta tiktok twitter redes youtube watsapp")
# "me tiro el día en la feria", "me tiré toda la tarde": time spent, with "tirar" only.
_TIME_SPENT = frozenset(
    ("el dia", "la tarde", "la manana", "toda la", "todo el", "el finde", "la semana")
)
# "me tiro a la piscina con el tema": taking the plunge, no blow (phonetically folded).
_REST = frozenset(
    ("a dormir", "a descansar", "a la cama", "una siesta", "la siesta", "un rato", "a la pissina")
)
# A bot command ("/ayuda", "/help@concerta_bot") is never a cry for help; what follows it is read.
_COMMAND = re.compile(r"^\s*/[A-Za-z0-9_]+(?:@\w+)?")
_THIRD_POSSESSIVES = ("su", "sus")
# A subject pronoun before "me" + verb: someone does it ("él me quemó"); "el" is "él" unaccented.
_HE = (["el"], ["eya"], ["eyos"], ["eyas"], ["alguien"])
_THIRD_CLITICS = word_set("la le lo les los las")
_FOR_THEM = frozenset(("eya", "eyas", "eyos", "el", "su", "sus"))  # "temo por ella" (folded)
_AGGRESSORS = word_set("agresor agresora agresores")
# "fue violada", "aparece golpeada", "está siendo violentada": what happened to someone.
_THIRD_PASSIVE = word_set(
    "fue fueron sido es siendo esta estaba aparese aparesio yega yego bino anda"  # folded
)
_GENERIC_ARTICLES = word_set("el la los las al aquel aquella")  # "el que le pega...": anyone
_PERSON_DETERMINERS = word_set("una un unas unos las los la el a")
_PAST_TOUCH = word_set("toco tocaron tocaba tocaban")
_HER_OR_HIM = (["la"], ["lo"], ["las"], ["los"])  # a direct object: someone touched, not a turn
_STAYED = word_set("estubo estubieron estado")  # "la estuvo tocando", "la ha estado..." (folded)
# Reported-speech phrases that present a person ("conozco a una señora que..."): the violence
# that follows is hers.
_PRESENTING = ("conosco", "conosemos", "tengo", "tenemos", "ay ")  # phonetically folded
_ARTICLES = word_set("la el los las")
_COMPANIONS = word_set("con y")  # "la botaron de su casa con sus hijos": the children go along
# "la amenazó delante de los niños": the children saw it; the adult is the one in danger.
# "frente a mi casa" is a place, not a witness (phonetically folded).
_WITNESSING = re.compile(
    r"(?<!\S)(?:delante de|frente a|en presensia de) (?:los|las|sus|mis|la|el|mi|su) "
    r"(?!(?:casa|puerta|trabajo|ofisina|colegio|bentana|esquina)(?!\S))"
)
_SUBORDINATORS = word_set("si que cuando")
_INDEFINITE = word_set("un una unos unas")
_MET = word_set("atendimos atendi atendio bimos bi conosco conosemos")  # phonetically folded
_PRESENTING_VERBS = word_set("tengo tenemos conosco conosemos ay atendi atendimos bi bimos")
# "desaparecer ESTE formato": a thing disappears, not the writer (phonetically folded).
_STATE_AFTER = word_set("en a de con para presente tan")
# A new clause after them: "me preguntó si..."; "cuando yo no esté en la oficina".
_INTRANSITIVE_ENDINGS = word_set("desapareser estar este estoy")
_SEEN_ENDINGS = word_set("ber bera beran")  # "ya no me van a ver en la sesión": at a meeting
_EXISTENCE = word_set("bida mundo tierra")  # "no me volverán a ver en esta vida" (folded)
# "grita pidiendo auxilio": someone else's cry, heard by the writer (phonetically folded).
_CRIED = ("pidiendo ", "pide ", "piden ", "pedia ", "grita ", "gritan ", "gritaba ", "gritando ")
# "me mata el día que lo deje": a time after "me mata", no nuisance (phonetically folded).
_WHEN = word_set("dia noche momento rato ratito instante bes")
# "nos estamos matando para cumplir las metas": effort for a task (phonetically folded).
_WORK_VERBS = word_set(
    "cumplir terminar entregar yegar sacar aser presentar subir enbiar mandar yenar"
)
# "tengo miedo que se muera": someone else's death feared (phonetically folded).
# "matar", "ahorcar", "colgar", "degollar" (folded): what a boss "will do" over a late task.
_KILLING = ("mat", "aorc", "colg", "degoy")
# What a boss threatens at work: a complaint, a sanction (folded stems).
_COMPLAINTS = ("denuns", "demand", "quej", "sansion", "despid", "bot", "sac", "memorando")
_FROM_OR_THROUGH = word_set("por del de desde al")  # "por la ventana", "del techo"
_LAWS = word_set("ley leyes norma normas reglamento decreto codigo ordenansa")  # folded
# Staring down from a height, what tells it is no errand: time going by there, nothing
# mattering any more, a task left undone ("hace rato estoy aquí", "ya no importa").
_STILL_THERE = word_set("estoy sigo")
_FROM_OR_WITH = word_set("con de del en por")
_HERE_NOW = word_set("estoy sigo yebo sentada sentado parada parado")  # the writer there (folded)
_LINGERING = re.compile(
    r"(?<!\S)(?:ase (?:rato|ratos|oras|mucho)|yebo (?:rato|oras|mucho)|desde ase"
    r"|ya no importa|ya nada importa|ya no me importa|ya que importa|(?:ya )?da igual"
    r"|ya no (?:lo )?(?:boy a )?terminar?e?|no lo termine)(?!\S)"
)
# Waiting for someone or something ("espero a la regidora", "esperando el carro"): an errand.
_ERRAND = re.compile(r"(?<!\S)esper\S* (?:a|al|el|la|los|las|un|una|que|mi|su|mis|sus)(?!\S)")
_DYING = ("muer", "mate", "maten", "aoge", "desangre")
_THEIR_CLITIC = re.compile(r"(?:ar|er|ir|ando|iendo)(?:le|la|lo|les|las|los)$")
# The writer is a pupil: "estoy en 2do de secundaria", "soy alumna del colegio" (folded).
_PUPIL = re.compile(
    r"(?<!\S)(?:estoy en|estudio en|curso el|soy alumna|soy alumno|soy estudiante)"
    r"(?: \S+){0,3} (?:secundaria|primaria|grado|colegio|cole|escuela)(?!\S)"
)
# "¿a dónde va una señora a denunciar que su esposo le pega?": anyone who would report, in a
# question of where or how (phonetically folded); what she would report is no case told.
_WHERE_ONE_REPORTS = re.compile(
    r"(?<!\S)(?:a donde|adonde|donde|ante quien|como|que nesesita) (?:\S+ ){0,3}?(?:una|un) "
    r"\S+ (?:\S+ ){0,2}?(?:a |para )?denunsi\S*"
)
# Someone's words quoted: «...», “...” or "..." (a quote, not an apostrophe).
_QUOTE = re.compile(r"«[^»]{3,}»|“[^”]{3,}”|\"[^\"]{3,}\"")


Victim = Literal["self", "other", "child"]


@dataclass(frozen=True)
class Crisis:
    kind: Literal["violence", "self_harm"]
    # Who is in danger: the writer ("self"), or someone the writer tells about, an adult
    # ("other") or a child or adolescent ("child"): the helper gets a reply made for helping.
    victim: Victim = "self"

    @property
    def label(self) -> str:
        """self, other, child or self_harm: which reply it gets."""
        return "self_harm" if self.kind == "self_harm" else self.victim


_SOFT_C = re.compile(r"c(?=[ei])")
_SILENT_H = re.compile(r"(?<!c)h")


def phonetic_fold(text: str) -> str:
    """Spelling-insensitive form for crisis words: seseo, b/v, ll/y, silent h."""
    text = text.replace("ll", "y").replace("z", "s").replace("v", "b").replace("ñ", "n")
    return _SILENT_H.sub("", _SOFT_C.sub("s", text))


def _fold_set(words: frozenset[str] | tuple[str, ...]) -> frozenset[str]:
    return frozenset(phonetic_fold(w) for w in words)


_STOP = _fold_set(STOPWORDS)
_AFTER_SELF = _STOP | _fold_set(
    word_set("cuando desde anoche ayer hoy ahorita siempre todos todas otra otro varias")
)


def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    parts = sorted({re.escape(phonetic_fold(p)) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(parts) + r")(?!\S)")


def _alternation(phrases: tuple[str, ...]) -> str:
    """The phrases, folded, as one regex group (longest first); "" for none."""
    parts = sorted({re.escape(phonetic_fold(p)) for p in phrases}, key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")" if parts else ""


def _verb_forms(stems: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """Every form of these stems (both conjugations, clitics): (all forms, forms with me/nos)."""
    forms: set[str] = set()
    to_me: set[str] = set()
    for stem in (phonetic_fold(s) for s in stems):
        for suffix in _AR_SUFFIXES | _ER_IR_SUFFIXES:
            forms.add(phonetic_fold(stem + suffix))
            if suffix in _TAKES_CLITIC:
                for clitic in _CLITICS:
                    forms.add(phonetic_fold(stem + suffix + clitic))
                    if clitic in _FIRST_PERSON:
                        to_me.add(phonetic_fold(stem + suffix + clitic))
    return frozenset(forms), frozenset(to_me)


@dataclass(frozen=True)
class _VerbObject:
    """A verb that is violence (or self-harm) only with a certain object after it."""

    kind: Literal["violence", "self_harm"]
    forms: frozenset[str]
    to_me: frozenset[str]
    objects: re.Pattern[str]
    # A hand on the body is violence at work too ("me agarra la cintura en las reuniones");
    # "me quitaron la plata del presupuesto" is not.
    at_work_too: bool = False


class CrisisDetector:
    """Compiled once from the language data; `detect` is then a handful of regex scans."""

    def __init__(self, language: Language, *, rules_only: bool = False) -> None:
        # rules_only: the rules alone, as benchmarks/fit_crisis.py reads them.
        self.model = None if rules_only else packaged_model()
        data = language.crisis
        missing = [k for k in ("relaciones", "verbos_ar", "autolesion") if not data.get(k)]
        if missing:
            raise ValueError(
                f"{language.source}: a la sección 'crisis' le falta: {', '.join(missing)}."
            )
        self.normalize = language.normalize
        fold = phonetic_fold
        self.signals = CrisisSignals(data, fold)
        # Someone else in danger: "su pareja la golpea", "mi hija sufre violencia", "una señora
        # dice que su esposo le pega"; a child or adolescent among them.
        self.third_person = _phrase_regex(data.get("tercera_persona", ()))
        self.reported = _phrase_regex(data.get("relato", ()))
        self.minors = _fold_set(data.get("menores", ()))
        self.partners = _fold_set(data.get("parejas", ()))
        self.relations = frozenset(fold(w) for w in data.get("relaciones", ()))
        ar = [fold(s) for s in data.get("verbos_ar", ())]
        er = [fold(s) for s in data.get("verbos_er_ir", ())]
        single = [fold(f) for f in data.get("formas_violentas", ()) if " " not in f]
        multi = tuple(f for f in data.get("formas_violentas", ()) if " " in f)

        # Every violent form, spelled out once: detection is then set membership, and typo
        # correction probes the same set.
        forms: set[str] = set(single)
        to_me: set[str] = set()  # forms with "me"/"nos" attached: "pegarme", "golpeandonos"
        for stems, suffixes in ((ar, _AR_SUFFIXES), (er, _ER_IR_SUFFIXES)):
            for stem in stems:
                for suffix in suffixes:
                    forms.add(fold(stem + suffix))
                    if suffix in _TAKES_CLITIC:
                        for clitic in _CLITICS:
                            forms.add(fold(stem + suffix + clitic))
                            if clitic in _FIRST_PERSON:
                                to_me.add(fold(stem + suffix + clitic))
        # Verbs that are violent only about a close person ("mi padrastro me toca"), never with
        # "me" alone ("me toca presentar el informe").
        # "me golpeé", "me quemé", "me pegué": the first person's past of the -ar verbs, which
        # no other person shares once accents are gone ("golpeó" is "golpeo").
        self.own_past = frozenset(fold(s + ("ue" if s.endswith("g") else "e")) for s in ar)
        self.with_relation = frozenset(fold(f) for f in data.get("formas_con_relacion", ()))
        forms |= self.with_relation
        self.forms = frozenset(forms)
        self.to_me = frozenset(to_me)
        self._deletions: dict[str, str] = {}
        for form in sorted(forms):
            if len(form) >= 5:
                for i in range(len(form)):
                    self._deletions.setdefault(form[:i] + form[i + 1 :], form)
        self.multi_forms = _phrase_regex(multi)

        self.aux = tuple(fold(a) for a in data.get("auxiliares", ()))
        self.first_person = _phrase_regex(data.get("primera_persona", ()))
        self.passive_aux = _phrase_regex(data.get("pasiva_primera_persona", ()))
        self.urgency = _phrase_regex(data.get("urgencia", ()))
        self.weapons = frozenset(fold(w) for w in data.get("armas", ()))
        self.fear = _phrase_regex(data.get("miedo", ()))
        self.presence = _phrase_regex(data.get("presencia", ()))
        self.hypothetical = _phrase_regex(data.get("hipotetico", ()))
        passive = tuple(
            f"{wish} {absence}"
            for wish in data.get("deseo_pasivo", ())
            for absence in data.get("no_existir", ())
        )
        self.self_harm = _phrase_regex(data.get("autolesion", ()) + self._intents(data) + passive)
        # "¿para qué seguir?", "no sé para qué sigo": at the end, or with "así", "viviendo"...
        self.pointless = _phrase_regex(data.get("sin_sentido", ()))
        self.pointless_end = _phrase_regex(data.get("sin_sentido_cierre", ()))
        self.heard = _phrase_regex(data.get("senales_oidas", ()))
        # "si me muero se acaba todo", "ojala me muera"; not "me muero de risa".
        self.death_wish = _phrase_regex(
            tuple(
                f"{wish}{already} {death}"
                for wish in data.get("deseo_de_muerte", ())
                for already in ("", " ya")  # "si yo ya no estuviera"
                for death in data.get("muerte_propia", ())
            )
        )
        # "compre veneno", "tengo todas las pastillas": the means at hand.
        self.means = _phrase_regex(
            tuple(
                f"{verb}{det} {means}"
                for verb in data.get("tener_medios", ())
                for det in ("", " un", " el", " una", " unas")
                for means in data.get("medios_autolesion", ())
            )
        )
        self.arrival = _phrase_regex(data.get("llegada", ()))
        # Signs that generalise past single phrases: a farewell, the means at hand, a jump from
        # a height, an ex who stalks, a named child in danger, a child's pregnancy.
        self.farewell = _phrase_regex(data.get("despedida", ()))
        self.goodbye = _phrase_regex(data.get("adios", ()))
        self.gone = _phrase_regex(data.get("ya_no_estar", ()))
        self.replaced = _phrase_regex(data.get("reemplazo", ()))
        self.polite_goodbye = _phrase_regex(data.get("adios_de_cortesia", ()))
        self.lost_there = _phrase_regex(data.get("desorientacion", ()))
        self.treated = _phrase_regex(data.get("trato_insinuado", ()))
        self.home_hinted = _phrase_regex(data.get("casa_insinuada", ()))
        self.own_need = _phrase_regex(data.get("necesidad_propia", ()))
        # "que sepan que siempre los quise": love in the past, passed on as a last word.
        message, loved = (_alternation(data.get(k, ())) for k in ("recado", "amor_pasado"))
        self.message = _phrase_regex(data.get("recado", ()))
        self.loved_once = (
            # Not "que sepa que la quise ayudar": wanted to, an infinitive after.
            re.compile(rf"(?<!\S){message} (?:\S+ ){{0,4}}?{loved}(?!\S)(?! \S+(?:ar|er|ir)\b)")
            if message and loved
            else None
        )
        self.means_at_hand = _phrase_regex(data.get("medios_a_mano", ()))
        # Self-harm told in a professional's words ("presenta signos de autolesión", "refiere
        # ideas de muerte"): a case, unless the law or a supposed case is asked about.
        self.told_self_harm = compile_list(data.get("autolesion_referida", ()), fold)
        self.means_ready = _phrase_regex(data.get("medios_listos", ()))
        self.moment_set = _phrase_regex(data.get("momento_fijado", ()))
        self.gaze = _phrase_regex(data.get("mirar_medio", ()))
        self.drop_points = _phrase_regex(data.get("lugares_para_acabar", ()))
        self.brooding = _phrase_regex(data.get("cavilar", ()))
        self.own_case = _phrase_regex(data.get("revelacion_propia", ()))
        self.jump = _phrase_regex(data.get("saltar", ()))
        self.leisure = _phrase_regex(data.get("saltos_de_ocio", ()))
        self.heights = _phrase_regex(data.get("alturas", ()))
        # A night, his room or his bed asked with the job at stake; a woman taken to a lonely
        # place and her distress after it; a reason for being away.
        night, room, with_him = (
            _phrase_regex(data.get(k, ())) for k in ("noche_pedida", "lugar_intimo", "noche_con_el")
        )
        self.intimacy = (
            re.compile(rf"{night.pattern} {room.pattern}|{with_him.pattern}")
            if night and room and with_him
            else None
        )
        self.job_at_stake = _phrase_regex(data.get("puesto_en_juego", ()))
        self.sex_named = _phrase_regex(data.get("sexo_nombrado", ()))
        self.refused = _phrase_regex(data.get("negativa", ()))
        self.lonely_place = _phrase_regex(data.get("lugar_solitario", ()))
        self.her_distress = _phrase_regex(data.get("angustia_despues", ()))
        self.reason = _phrase_regex(data.get("motivo_de_ausencia", ()))
        self.stalking = _phrase_regex(data.get("acecho", ()))
        # "se para cada noche frente a mi casa": planted where the writer lives.
        planted = _phrase_regex(data.get("acecho_plantado", ()))
        places = _phrase_regex(data.get("acecho_lugar", ()))
        self.planted = (
            re.compile(rf"{planted.pattern} (?:\S+ ){{0,3}}?{places.pattern}")
            if planted and places
            else None
        )
        # Stems, as the broad signals ("juego secreto": "juegos secretos"; "la encierra": "la
        # encierran"): a child's signs come in every conjugation.
        self.child_signs = compile_list(data.get("senales_menor", ()), fold)
        # A named child alone, or whose carer is gone, for long ("paran solos todo el día", "la
        # mamá desaparece por semanas"), or going hungry: neglect, a sign like the others.
        away, span, hunger = (
            _alternation(data.get(key, ()))
            for key in ("senal_ausencia", "senal_tiempo_largo", "senal_hambre")
        )
        self.neglect = (
            re.compile(
                rf"(?<!\S)(?:(?:solos|solas|solo|sola|solitos|solitas|{away}) "
                rf"(?:\S+ ){{0,2}}?(?:por |durante |hace )?{span}|{hunger})(?!\S)"
            )
            if away and span and hunger
            else None
        )
        # Children sold, bought, prostituted, recruited, told as a fact ("venden niñas en la
        # feria", "hay trata de chicas menores en el hostal"): no one child is named.
        plural_minors = sorted({fold(w) for w in data.get("menores", ()) if w.endswith("s")})
        trade = sorted({fold(p) for p in data.get("trata_de_menores", ())}, key=len, reverse=True)
        self.child_trade = (
            re.compile(
                rf"(?<!\S)(?:{'|'.join(map(re.escape, trade))}) (?:las |los |unas |unos )?"
                rf"(?:(?!a )\S+ )?(?:{'|'.join(map(re.escape, plural_minors))})(?!\S)"
            )
            if trade and plural_minors
            else None
        )
        self.elders = _phrase_regex(data.get("adultos_mayores", ()))
        self.writer_in_danger = _phrase_regex(data.get("escritor_en_peligro", ()))
        self.school_minors = _fold_set(data.get("menores_escolares", ()))
        self.school_grades = _fold_set(data.get("grado_escolar", ()))
        self.pregnant = _phrase_regex(data.get("embarazo", ()))
        self.topic_frame = _phrase_regex(data.get("marco_de_tema", ()))
        self.now = _phrase_regex(_NOW)

        # Verbs that need an object: "me jala del pelo", "me corto los brazos", "me bota de la
        # casa", "me quitó mi plata", "me obliga a estar con él".
        body = data.get("partes_cuerpo", ())
        self.body = _phrase_regex(tuple(body))
        pairs = (
            ("self_harm", "verbos_autolesion", (*body, *data.get("autolesion_objetos", ()))),
            ("violence", "verbos_contacto", (*body, *data.get("cabello", ()))),
            ("violence", "verbos_expulsion", data.get("lugares_expulsion", ())),
            ("violence", "verbos_despojo", data.get("bienes", ())),
            ("violence", "verbos_coaccion", data.get("actos_coaccion", ())),
        )
        self.verb_objects: list[_VerbObject] = []
        for kind, verbs, objects in pairs:
            regex = _phrase_regex(tuple(objects))
            if data.get(verbs) and regex:
                forms, to_me = _verb_forms(data[verbs])
                self.verb_objects.append(
                    _VerbObject(kind, forms, to_me, regex, verbs == "verbos_contacto")  # type: ignore[arg-type]
                )
        # A hand laid on someone: "me agarra", "me abraza" (verbos_contacto, every form).
        self.contact_forms = frozenset().union(
            *(r.forms for r in self.verb_objects if r.at_work_too)
        )
        self.injuries = _phrase_regex(data.get("lesiones", ()))
        # The writer hurts herself: a mark of her own doing, or two of the moment and the habit.
        self.own_doing = _phrase_regex(data.get("autolesion_propia", ()))
        self.own_moment = _phrase_regex(data.get("autolesion_momento", ()))
        self.own_start = _fold_set(data.get("autolesion_inicio", ()))
        self.no_news = _phrase_regex(data.get("senal_sin_noticias", ()))
        self.hiding = _phrase_regex(data.get("senal_escondida", ()))
        self.foreboding = _phrase_regex(data.get("senal_mal_presagio", ()))
        self.released = _phrase_regex(data.get("senal_agresor_libre", ()))
        self.seeks_her = _phrase_regex(data.get("senal_ira_a_buscarla", ()))
        self.pregnancy_by = _fold_set(data.get("embarazo_por", ()))
        self.feeling = _phrase_regex(data.get("sentir", ()))
        self.hopeless = _phrase_regex(data.get("desesperanza", ()))
        self.plea = _fold_set(data.get("suplica", ()))
        self.plea_filler = _fold_set(data.get("suplica_relleno", ()))
        work = data.get("temas_de_trabajo", ())
        self.work = _phrase_regex(work)
        self.things = _fold_set(tuple(w for w in work if " " not in w)) | _fold_set(
            data.get("objetos_no_violentos", ())
        )
        # What "matar" may fall on or be done with when it is no figure of speech: a person, a
        # weapon, the means, the body ("me mata a golpes", "me estoy matando con pastillas").
        self.people = (
            self.relations
            | self.minors
            | self.partners
            | _PEOPLE
            | _fold_set(data.get("senal_persona", ()))
            | _fold_set(data.get("senal_persona_generica", ()))
        )
        means = (*data.get("medios_autolesion", ()), *body, *data.get("lesiones", ()))
        # "todo el frasco": the frasco.
        self.harmful = (self.weapons | _fold_set(tuple(p.split()[-1] for p in means))) - _STOP
        self.bosses = _fold_set(data.get("jefes", ()))
        verb_forms = frozenset().union(*(r.forms for r in self.verb_objects))
        # "puente" is one swap from "puñete": the words of the other lists are never corrected.
        self._protected = (
            self.relations
            | self.weapons
            | verb_forms
            | self.plea
            | self.things  # "bolas" stays "bolas", not "violas"
            | _fold_set(tuple(w for w in data.get("alturas", ()) if " " not in w))
        )
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)

    @staticmethod
    def _intents(data: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
        """ "me voy a colgar", "quiero ahorcarme", "se quiere envenenar", "amenaza con
        matarse": the writer's intent goes with "me", someone else's with "se" ("me quiere
        matar" is a threat against the writer, not self-harm)."""
        phrases: list[str] = []
        for person, intents in (("me", "intencion_propia"), ("se", "intencion_ajena")):
            for intent in data.get(intents, ()):
                for verb in data.get("verbos_suicidio", ()):
                    phrases.append(f"{person} {intent} {verb}")
                    phrases.append(f"{intent} {verb}{person}")
        return tuple(phrases)

    # ------------------------------------------------------------------ typo tolerance

    def _correct_uncached(self, token: str) -> str:
        """A token one insertion, deletion or swap away from a violent form becomes that form.

        Substitutions are not allowed: "pagaron" must stay "pagaron", not "pegaron". Lookups
        go through a deletion index (SymSpell-style), so this costs a few set probes.
        """
        if (
            len(token) < 4
            or token in _STOP
            or token.isdigit()
            or token in self._protected
            or _AGENT_NOUN.search(token)
            or (token.endswith("se") and token[:-2] in self.forms)  # "matarse", reflexive
        ):
            return token
        # The first letter is trusted: typos there are rare, and dropping it turns real words
        # into violent ones ("gamarra" -> "amarra").
        for i in range(1, len(token)):  # token has one extra letter ("golpeea" -> "golpea")
            shorter = token[:i] + token[i + 1 :]
            if shorter in self.forms and len(shorter) >= 4:
                return shorter
        longer = self._deletions.get(token) if len(token) >= 5 else None  # "amnaza"
        if longer and longer[0] == token[0]:
            return longer
        for i in range(1, len(token) - 1):  # two letters swapped ("pgea")
            swapped = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
            if swapped in self.forms:
                return swapped
        return token

    def clear_caches(self) -> None:
        """Forget remembered typo corrections (benchmarks start each round cold)."""
        self._correct.cache_clear()

    # ------------------------------------------------------------------ detection

    def detect(self, text: str) -> Crisis | None:
        return self.assess(text)[0]

    def worrying(self, text: str) -> bool:
        """Close to danger by the learned reading, though no crisis (bot/crisis_model.py
        `soft_threshold`): the reply gets the short help lines, in case the rules missed a
        person in danger."""
        return self.assess(text)[1]

    def assess(self, text: str) -> tuple[Crisis | None, bool]:
        """The crisis in `text`, or None and whether it comes close to danger all the same:
        one reading of the message for both."""
        text = _COMMAND.sub("", text, count=1)
        folded = self.folded(text)
        crisis = self._judge(folded)
        if crisis is not None:
            return (self._quoted(text) or crisis) if crisis.label == "self" else crisis, False
        if self.model is None or not folded:
            return None, False
        label, near = self.model.judge(folded)
        if label is None:
            return None, near
        return (Crisis("self_harm") if label == "self_harm" else Crisis("violence", label)), False

    def folded(self, text: str) -> list[str]:
        """The words the rules and the model read: the writer's introduced name out ("soy Ana
        Correa": a surname, no belt), normalised, phonetically folded, violent verbs' typos
        corrected, diminutives undone; a very long message by its head and tail."""
        words = self.normalize(without_introduced_name(text)).split()
        if len(words) > MAX_TOKENS:
            words = words[: MAX_TOKENS // 2] + words[-MAX_TOKENS // 2 :]
        folded = [phonetic_fold(w) for w in words]
        folded = [w if w in self.forms else self._correct(w) for w in folded]
        return [self._undiminish(w) for w in folded]

    def _quoted(self, text: str) -> Crisis | None:
        """ "una usuaria me escribió «ayúdeme, me está pegando»": the one in danger speaks in
        the quote, the writer passes it on (the helper's reply). Not "mi esposo me dijo «te voy
        a matar»": the quote is no cry of the one quoted, the writer is still the one at risk."""
        quotes = [m.group(0)[1:-1] for m in _QUOTE.finditer(text)]
        if not quotes:
            return None
        if not any((c := self._detect(q)) is not None and c.label == "self" for q in quotes):
            return None
        rest = self._detect(_QUOTE.sub(" ", text))
        if rest is not None and rest.label == "self":
            return None
        words = self.normalize(_QUOTE.sub(" ", text)).split()
        folded = [self._undiminish(phonetic_fold(w)) for w in words]
        child = self._minor_mentioned(folded, " ".join(folded))
        return Crisis("violence", "child" if child else "other")

    def _detect(self, text: str) -> Crisis | None:
        return self._judge(self.folded(text))

    def _judge(self, folded: list[str]) -> Crisis | None:
        """The rules' verdict."""
        if not folded:
            return None
        line = " ".join(folded)
        crisis = self._read(folded, line)
        if crisis is not None and crisis.kind == "self_harm" and self.signals.anyones(line):
            return None  # "¿la Línea 113 es para familiares de alguien que quiere morir?"
        return crisis

    def _read(self, folded: list[str], line: str) -> Crisis | None:
        at_work = bool(self.work and self.work.search(line))
        if self.signals.wishes_death(line) and not self._absent_for_a_new_post(line):
            return Crisis("self_harm")
        if self.self_harm and any(
            not self._figurative(line, m) and not self._of_a_thing(line, m.end())
            for m in self.self_harm.finditer(line)
        ):
            return Crisis("self_harm")
        if self.death_wish and any(
            not line.startswith(" de ", m.end()) and not self._of_a_thing(line, m.end())
            for m in self.death_wish.finditer(line)
        ):
            return Crisis("self_harm")
        if self.means and self.means.search(line):
            return Crisis("self_harm")
        if self._self_harm_told(folded, line):
            return self._child_hurt_too(folded, line) or Crisis("self_harm")
        if not at_work and self._pointless(line):
            return Crisis("self_harm")
        relations = [
            i
            for i, w in enumerate(folded)
            if w in self.relations and i > 0 and folded[i - 1] in _POSSESSIVES
        ]
        if (not at_work and self._farewell(line)) or self._entrusts_children(line):
            return Crisis("self_harm")
        if self._handed_over_for_good(line):
            return Crisis("self_harm")
        if self._last_word_beside_absence(line):
            return Crisis("self_harm")
        if self._gone_for_good(line):
            return Crisis("self_harm")
        if self._means_acquired(folded, line):
            return Crisis("self_harm")
        if self._means_ready_at_hand(folded, line) or self._jump_from_height(folded, line):
            return Crisis("self_harm")
        if self._means_and_moment(folded, line) or self._staring_at_means(folded, line):
            return Crisis("self_harm")
        if _OVERDOSE.search(line) or _THOUGHT_OF_DEATH.search(line) or _BETTER_DEAD.search(line):
            return Crisis("self_harm")
        kind = self._verb_object(folded, line, relations, at_work)
        if kind == "self_harm" or self._hurts_herself(folded, line):
            return Crisis("self_harm")
        if self._own_case_revealed(folded, line) or self._own_case_hinted(folded, line):
            return Crisis("violence", "self")
        if self._taken_somewhere_lonely(line):
            return Crisis("violence", "child" if self._minor_mentioned(folded, line) else "other")
        if self._child_held_over_me(folded, line, relations) or self._boss_demands_intimacy(
            folded, line
        ):
            return Crisis("violence", "self")
        if self._partner_forces_me(folded, line):
            return Crisis("violence", "self")
        unmasked = folded
        folded, line = self._without_mishaps(folded, line)
        if kind is not None and folded is not unmasked:
            kind = self._verb_object(folded, line, relations, at_work)
        read = kind is not None or (
            self._violence(folded, line, relations, at_work)
            or self._someone_else(folded, line, relations)
            or self._child_touched(folded)
        )
        # A named child with a sign of danger after it: the child is the one at risk, even when
        # a parent only names her ("la mamá de una alumna la manda a la cantina").
        child_case = not read and self._child_in_danger(folded, line)
        if not (read or child_case or self._stalked(folded, line)):
            victim = self.signals.someone_hurt(line)
            if victim != "self" and self._only_reported(line):
                victim = None  # "¿a dónde va una mujer a denunciar que su pareja la golpea?"
            # A minor at risk, told about or writing ("soy alumna de 4to, un profesor me pide
            # que nos veamos a solas"): the reply for children, as the rules' reading decides.
            reading = self._victim(folded, line) if victim is not None else None
            if (
                victim == "other" or (victim == "self" and self._minor_mentioned(folded, line))
            ) and reading == "child":
                victim = "child"
            # "mi pareja me quitó el celular ... me quita a mi hija", "el papá de mi bebe me va
            # a quitar a la niña": the writer says it is done to them; a child named is what is
            # at stake (a writer who is a minor reads "child" already).
            elif victim in ("other", "child") and reading == "self":
                victim = "self"
            if victim == "self" and self._only_a_bosses_figure(folded, relations, at_work):
                victim = None  # "la gerente me va a ahorcar si no mando hoy la lista"
            if victim in ("other", "child") and self.signals.for_outreach(line):
                victim = None  # "en el afiche sobre golpes queremos el número para llamar"
            if victim is not None:
                return Crisis("violence", self._writer_wins(folded, line, victim))
            # Hopelessness with no violence in the message: "ya no aguanto más", "estoy
            # cansada de todo"; with violence ("me pega, ya no aguanto") the violence reply.
            # "ya me cansé de todo, del trabajo, de la casa, de mí misma": tired of oneself is
            # no worry about work, even with the work named beside it.
            if (not at_work or _WEARY_OF_HERSELF.search(line)) and self._hopeless(line):
                return Crisis("self_harm")
            return None
        victim = self._victim(folded, line)
        if child_case and victim == "other":
            victim = "child"
        if victim == "self" and self._afraid_witness(folded, line):
            victim = "other"
        adults = [r for r in relations if folded[r] not in self.minors]
        if victim == "other" and not adults and any(w in _CRY_FOR_ME for w in folded):
            # "ayúdeme, está rompiendo la puerta y estoy con mi bebé": the one who cries is at
            # risk, with her children.
            victim = "self"
        if victim != "self" and (
            self.signals.law_question(line, coverage_only=True) or self.signals.for_outreach(line)
        ):
            return None  # "¿la ley cubre a un señor al que su nuera maltrata?"
        return Crisis("violence", victim)

    def _undiminish(self, word: str) -> str:
        """ "alumnita", "abuelito", "hermanitas": the person under the diminutive, when only
        the plain word is in the lists."""
        if word in self.relations or word in self.minors:
            return word
        m = _DIMINUTIVE.search(word)
        if not m or len(word) < 6:
            return word
        base = word[: m.start()] + m.group(1)
        return base if base in self.relations or base in self.minors else word

    def _self_harm_told(self, words: list[str], line: str) -> bool:
        """ "una estudiante de 14 presenta signos de autolesión": someone's self-harm, told; not
        "¿qué hacer si un alumno tiene ideas suicidas?" nor "casos de intento de suicidio"."""
        if not self.told_self_harm or self.signals.law_question(line):
            return False
        text = line + " "
        people = [(p.start(), p.end()) for p in self.signals.person.finditer(text)]
        return any(
            not self._hypothetical_before(words, line.count(" ", 0, m.start()))
            and not self._named_topic(words, line.count(" ", 0, m.start()))
            # someone concrete near it: "una estudiante de 14 años presenta..."
            and any(m.start() - end <= REACH and start - m.end() <= REACH for start, end in people)
            for m in self.told_self_harm.finditer(text)
        )

    def _child_hurt_too(self, words: list[str], line: str) -> Crisis | None:
        """ "un alumno me mostró que tiene cortes en los brazos y dice que su papá le pega": a
        child's self-harm told beside an adult's violence on the child gets the reply for a
        child in danger, as when the cuts are told with a verb ("se está cortando y su
        padrastro la manosea"): stopping the violence comes first."""
        relations = [
            i
            for i, w in enumerate(words)
            if w in self.relations and i > 0 and words[i - 1] in _POSSESSIVES
        ]
        if self._minor_mentioned(words, line) and self._someone_else(words, line, relations):
            return Crisis("violence", "child")
        return None

    def _entrusts_children(self, line: str) -> bool:
        """ "me despido, ya no voy a estar para la próxima sesión, cuiden a mis hijos": children
        entrusted beside an absence, however the absence is put (even about a meeting)."""
        if not (self.goodbye and self.gone and self.gone.search(line)):
            return False
        if any(m.group(0).startswith("cuid") for m in self.goodbye.finditer(line)):
            return True
        # "ya no voy a estar para la próxima sesión, cuiden a las señoras": people left in
        # others' care beside an absence with no reason for it (not "no voy a estar el jueves
        # porque viajo, cuiden a las señoras del comedor": a trip, work handed over).
        if self._reason_given(line):
            return False
        for m in _ENTRUSTED.finditer(line):
            if m.group(2):
                # "les dejo a mis hijos": one's own family left behind; "les dejo a mis
                # promotoras a cargo" is work handed over.
                if self.signals.own_one.search(f"mi {m.group(2)}"):
                    return True
                continue
            who = m.group(1)
            if any(
                w in self.people or w in self.relations or w in self.minors
                for w in (who, who[:-1], who[:-2])
            ):
                return True
        return False

    def _absent_for_a_new_post(self, line: str) -> bool:
        """ "ya no voy a estar por acá, desde el lunes empiezo en el gobierno regional": an
        absence a new post, a transfer or a resignation explains; not when another wish to die
        is beside it ("ya no voy a estar, nadie me va a extrañar")."""
        if not (self.gone and _LEAVING_THE_POST.search(line)):
            return False
        return not self.signals.wishes_death(self.gone.sub(" ", line))

    def _of_a_thing(self, line: str, end: int) -> bool:
        """ "ya nada tiene sentido con este sistema": the despair ending at `end` is said of a
        thing of work, not of living."""
        after = line[end:].split()[:3]
        if not after or after[0] not in ("con", "en"):
            return False
        thing = after[2:3] if after[1:2] and after[1] in _DETERMINERS else after[1:2]
        return bool(thing) and thing[0] in self.things

    def _handed_over_for_good(self, line: str) -> bool:
        """ "todo está en la carpeta para quien me reemplace... ya no voy a molestar más": work
        handed to whoever comes next, with a goodbye and no reason to leave (no new post, no
        trip). Work is what this farewell is made of, so work named does not make it calm."""
        if not (self.replaced and self.goodbye and self.replaced.search(line)):
            return False
        rest = self.replaced.sub(" ", line)  # the goodbye is another phrase than the handover
        # Thanks or a plain goodbye is how anyone leaving a post writes; it takes more ("ya no
        # voy a molestar más", "cuiden a...").
        polite = self.polite_goodbye
        return bool(
            any(not (polite and polite.fullmatch(m.group(0))) for m in self.goodbye.finditer(rest))
            and not self._reason_to_leave(line)
        )

    def _reason_given(self, line: str) -> bool:
        return bool(self.reason and self.reason.search(line))

    def _reason_to_leave(self, line: str) -> bool:
        """A reason given for being away, or a post left or started: work, not a farewell."""
        return self._reason_given(line) or bool(_LEAVING_THE_POST.search(line))

    def _last_word_beside_absence(self, line: str) -> bool:
        """ "ya no me van a ver en la reunión, díganle a mis hijos que los quise": love in the
        past passed on beside an absence is a farewell, whatever meeting the absence names.
        So is a last word beside the means ("tengo las pastillas aquí al lado, solo quería que
        alguien sepa que hice todo lo que pude") or a goodbye, whatever work it names."""
        means = bool(self.means_at_hand and self.means_at_hand.search(line))
        # "tengo las pastillas aquí en la mesa... solo quería que alguien supiera": a message
        # left with nothing after it, beside the means.
        if means and self.message and any(
            len(line[m.end() :].split()) <= 1 for m in self.message.finditer(line)
        ):
            return True
        if not (self.loved_once and self.loved_once.search(line)):
            return False
        if means:
            return True
        # "solo quería despedirme... díganle a mi hija que la quise mucho": and a goodbye.
        if self.goodbye and self.goodbye.search(line) and not _LEAVING_THE_POST.search(line):
            return True
        return bool(self.gone and self.gone.search(line) and not _LEAVING_THE_POST.search(line))

    def _gone_for_good(self, line: str) -> bool:
        """ "ya no voy a estar para la sesión del martes ni para ninguna otra, que les vaya bien
        a todos": an absence said to be forever beside a goodbye or things handed over, with
        no reason given (a transfer or a resignation is work: "...porque me cambian de sede")."""
        if not self.gone or self._reason_to_leave(line):
            return False
        for m in self.gone.finditer(line):
            if not _FOREVER.search(" ".join(line[m.end() :].split()[:12])):
                continue
            if _PARTING.search(line) or (self.goodbye and self.goodbye.search(line)):
                return True
        return False

    def _farewell(self, line: str) -> bool:
        """ "esta noche termino con esto", "quiero acabar con todo"; not "termino con esto del
        informe" (the farewell phrase with "de" after it names a task)."""
        # "le escribo para despedirme ... ya no voy a estar": a goodbye and an absence.
        # "dejé cartas para mis hijos, que sepan que los quise": a goodbye and a last word.
        if (
            self.goodbye
            and self.gone
            and self.goodbye.search(line)
            and not _LEAVING_THE_POST.search(line)  # "me cambiaron de sede, gracias por todo"
            and (
                any(not self._figurative(line, m) for m in self.gone.finditer(line))
                or bool(self.loved_once and self.loved_once.search(line))
            )
        ):
            return True
        # "díganle a mis hijos que los quise, ya no aguanto": a last word beside despair.
        if (
            self.loved_once
            and self.hopeless
            and self.loved_once.search(line)
            and (self.hopeless.search(line))
        ):
            return True
        if not self.farewell:
            return False
        for m in self.farewell.finditer(line):
            after = line[m.end() :].split()[:2]
            if not after or after[0] in _FAREWELL_NEXT or after == ["de", "una"]:
                return True
        return False

    def _means_ready_at_hand(self, words: list[str], line: str) -> bool:
        """The means ready or in hand ("ya tengo la soga lista", "las pastillas en la mano",
        "me las voy a tomar todas"); not someone else's ("mi esposo tiene una soga")."""
        if not (self.means_at_hand and self.means_ready):
            return False
        ready = [
            (line.count(" ", 0, m.start()), m.group(0) in _READY_BEFORE)
            for m in self.means_ready.finditer(line)
        ]
        # "tengo las pastillas en la mano, ya no quiero seguir": the means and despair.
        hopeless = bool(self.hopeless and self.hopeless.search(line)) or self._pointless(line)
        for m in self.means_at_hand.finditer(line):
            pos = line.count(" ", 0, m.start())
            if any(0 < pos - r <= 3 for r in self._relation_positions(words)):
                continue  # "mi esposo tiene una soga": his, a threat
            if self._meant_for_others(words, pos) or self.signals.harmless_kind(line, m.end()):
                continue  # "las pastillas de chocolate (para los niños)": a treat
            # "conseguí las pastillas del seguro": a treatment got is no means gathered.
            got = not self.signals.treatment(line, m.end())
            if hopeless or any(
                0 < r - pos <= 10 or (got and before and -2 <= r - pos < 0) for r, before in ready
            ):
                return True
            # "estoy en el baño con una gillette": the writer, with it in hand.
            if words[pos - 2 : pos - 1] == ["con"] and "estoy" in words[max(0, pos - 8) : pos]:
                return True
        return False

    def _means_acquired(self, words: list[str], line: str) -> bool:
        """ "ya compré la soga", "conseguí las pastillas" beside a goodbye or despair: the means
        got on purpose is a plan, with no word of dying. Not a purchase that says what it is
        for or goes on ("compré la soga para el toldo", "compré pastillas para la gripe",
        "conseguí las pastillas que me recetó el doctor")."""
        if not self.means_at_hand:
            return False
        goodbye = bool(self.goodbye and self.goodbye.search(line)) or bool(
            self.hopeless and self.hopeless.search(line)
        )
        for m in self.means_at_hand.finditer(line):
            pos = line.count(" ", 0, m.start())
            before = words[max(0, pos - 3) : pos]
            got = [i for i, w in enumerate(before) if w in _GOT]
            if not got or not self._not_theirs(words, pos):
                continue
            if any(w not in _THE_OR_SOME for w in before[got[-1] + 1 :]):
                continue  # "compré leche y pastillas": the means is not what was got
            if _PURPOSE & set(words[pos + 1 : pos + 7]) or self.signals.harmless_kind(
                line, m.end()
            ):
                continue
            if goodbye or "ya" in words[max(0, pos - 5) : pos]:
                return True
        return False

    def _meant_for_others(self, words: list[str], pos: int) -> bool:
        """The thing at `pos` is for people named after it ("las pastillas para los niños",
        "la soga para las señoras del comedor"); not "para mí" nor "para dormir"."""
        after = words[pos + 1 : pos + 6]
        return any(
            w == "para"
            and after[j + 1 : j + 2]
            # "para mi mamá": a person after the possessive, not "para mí"
            and after[j + 1] in (*_PERSON_DETERMINERS, *_POSSESSIVES, *_THIRD_POSSESSIVES)
            and any(x in self.people for x in after[j + 2 : j + 4])
            for j, w in enumerate(after)
        )

    def _not_theirs(self, words: list[str], pos: int) -> bool:
        """The means at `pos` is nobody's named just before ("mi esposo tiene una soga": his)."""
        return not any(0 < pos - r <= 3 for r in self._relation_positions(words))

    def _means_and_moment(self, words: list[str], line: str) -> bool:
        """ "he juntado las pastillas de mi mamá, creo que hoy es el día": the means in hand and
        the moment set are a plan, with no word of dying. Not "hoy es el día de la sesión"."""
        if not (self.means_at_hand and self.moment_set):
            return False
        if not any(not line.startswith(_DAY_FOR, m.end()) for m in self.moment_set.finditer(line)):
            return False
        return any(
            self._not_theirs(words, line.count(" ", 0, m.start()))
            and not self.signals.harmless_kind(line, m.end())
            for m in self.means_at_hand.finditer(line)
        )

    def _staring_at_means(self, words: list[str], line: str) -> bool:
        """ "esta mañana me quedé mirando la soga del tendedero pensando cosas": a means or a
        place to end it looked at, with brooding after it or despair in the message. Looking
        alone is no sign ("mirando el puente nuevo del distrito")."""
        if not (self.gaze and self.brooding):
            return False
        gazes = [line.count(" ", 0, m.end()) for m in self.gaze.finditer(line)]
        if not gazes:
            return False
        brooding = [line.count(" ", 0, m.start()) for m in self.brooding.finditer(line)]
        hopeless = bool(self.hopeless and self.hopeless.search(line))
        for regex in (self.means_at_hand, self.drop_points):
            for m in regex.finditer(line) if regex else ():
                pos = line.count(" ", 0, m.start())
                if not any(0 < pos - g <= 3 for g in gazes) or not self._not_theirs(words, pos):
                    continue
                if self.signals.harmless_kind(line, m.end()):
                    continue  # "mirando la soga del toldo, pensando en la feria"
                if hopeless or any(0 < b - pos <= 8 for b in brooding):
                    return True
                if (
                    _LINGERING.search(line)
                    and not _ERRAND.search(line)
                    and not any(_busy(w) for w in words)
                    and self._standing_on_a_height(words, line)
                ):
                    return True  # "estoy en el puente mirando el río, hace rato estoy aquí"
        return False

    def _standing_on_a_height(self, words: list[str], line: str) -> bool:
        """The writer says they are up there now ("estoy en el puente de la salida"), not
        looking from elsewhere ("mirando el río desde el malecón")."""
        return any(
            _STILL_THERE & set(words[max(0, pos - 5) : pos])
            and "en" in words[max(0, pos - 3) : pos]
            for pos in (line.count(" ", 0, m.start()) for m in self.heights.finditer(line))
        )

    def _own_case_revealed(self, words: list[str], line: str) -> bool:
        """ "si a una trabajadora su jefe la toca y la amenaza con el despido, ¿qué puede hacer?
        soy yo": a case told as someone's, then owned; the harm told before it is the writer's.
        Not "soy yo la encargada..." (the writer presented)."""
        if not self.own_case:
            return False
        for m in self.own_case.finditer(line):
            after = line[m.end() :].split()[:1]
            if after and (after[0] in _ARTICLES or after[0] in _PRESENTED_AS):
                continue  # "soy yo la responsable", "es mi situación como responsable de..."
            before = line[: m.start()]
            told = before.split()
            if any(w in self.forms for w in told) or self.signals.harm.search(before):
                return True
            if self._sex_refused(before):
                return True  # "la mujer dice que no pero él igual... eso cuenta? me pasa"
        return False

    def _sex_refused(self, text: str) -> bool:
        """Sex named and a "no" said to it: the case told is a woman forced."""
        if not (self.sex_named and self.refused):
            return False
        return bool(self.sex_named.search(text) and self.refused.search(text))

    def _child_held_over_me(self, words: list[str], line: str, relations: list[int]) -> bool:
        """ "mi pareja revisa mi celular... me dijo que si no renuncio se lleva a la bebé y no
        la vuelvo a ver": the writer's partner threatens to take the child away unless she
        obeys, or for ever: control through the child, the writer's own danger. Not "mi
        esposo se lleva a la bebé al control" (an errand)."""
        if not any(words[r] in self.partners for r in relations):
            return False
        for i, w in enumerate(words):
            if not w.startswith(_TAKING):
                continue
            child = [x for x in words[i + 1 : i + 5] if x in self.minors or x in _CHILDREN]
            if not child:
                continue
            before = " ".join(words[max(0, i - 8) : i])
            after = " ".join(words[i + 1 : i + 14])
            # "si lo dejo se lleva a la bebé", "se quiere llevar a la bebé a su pueblo si lo
            # dejo", "...y no la vuelvo a ver", "se los lleva para siempre".
            if _ON_CONDITION.search(before) or any(
                r.search(after) for r in (_ON_CONDITION, _NEVER_AGAIN, _FOREVER)
            ):
                return True
        return False

    def _own_case_hinted(self, words: list[str], line: str) -> bool:
        """ "yo misma necesito ir al CEM pero me da vergüenza que sepan cómo me trata mi
        marido": the writer's own need or shame beside what goes on at home, hinted and never
        named. How "me trata" someone close, not a boss ("cómo me trata mi jefe")."""
        if not (self.own_need and self.own_need.search(line)):
            return False
        if self.home_hinted and self.home_hinted.search(line):
            return True
        for m in self.treated.finditer(line) if self.treated else ():
            pos = line.count(" ", 0, m.end())
            for i in range(pos + 1, min(len(words), pos + 3)):
                close = words[i] in self.partners or (
                    words[i] in self.relations and words[i] not in self.bosses
                )
                if close and words[i - 1] in _POSSESSIVES:
                    return True
        return False

    def _jump_from_height(self, words: list[str], line: str) -> bool:
        """ "estoy en el puente y no sé si bajar o tirarme": a jump, with a height in the
        message, and no close person who would push ("mi esposo quiso tirarme del puente")."""
        if not (self.jump and self.heights and self.heights.search(line)):
            return False
        if self.leisure and self.leisure.search(line):
            return False  # "me lanzo del puente en el canotaje": a sport
        if self._on_a_height_decided(words, line):
            return True
        # Who could push is a subject; "dejé todo en orden para mis hijos" names them, no more.
        people = [r for r in self._relation_positions(words) if words[r - 2 : r - 1] != ["para"]]
        for m in self.jump.finditer(line):
            pos = line.count(" ", 0, m.start())
            if m.group(0) in _EDGE and not _THERE & set(words[max(0, pos - 5) : pos]):
                continue  # "amarramos los globos a la baranda del puente": nobody on it
            after = line[m.end() :].split()[:3]
            if (
                m.group(0) in _JUMP_NOW
                and after
                and (
                    after[0] in _DETERMINERS
                    or after[0] == "con"
                    or after[0] in self.things  # "en el puente me tiro fotos"
                    or (after[0] == "por" and m.group(0) == "me dejo caer")  # drop by
                    or any(" ".join(after[:n]) in _REST for n in (2, 3))
                )
            ):
                continue  # "me tiro un chapuzón", "me lanzo con la propuesta", "me tiro a dormir"
            if self._jump_over_a_task(line[m.end() :].split()[:6]):
                continue  # "me quiero tirar por la ventana con el presupuesto participativo"
            if m.group(0).startswith("estoy ") and any(
                _busy(w) for w in words[pos + 3 : pos + 10]
            ):
                continue  # "estoy sentada en la orilla del río almorzando": a task there
            # "mi sobrina dice que se va a tirar del puente": her own jump, nobody pushes.
            own = m.group(0).startswith("se ") or m.group(0).endswith("se")
            if own or not any(0 < pos - r <= WINDOW for r in people):
                return True
        return False

    def _jump_over_a_task(self, after: list[str]) -> bool:
        """A jump "with" a thing to do ("me tiro por la ventana con este informe"): despair at a
        task, said as a joke; not "con mi bebé" (someone taken along)."""
        if "con" not in after:
            return False
        route = after[: after.index("con")]
        if route and route[0] not in _FROM_OR_THROUGH:
            return False  # "me tiró la silla con el informe": a thing thrown at the writer
        rest = [w for w in after[after.index("con") + 1 :] if w not in _DETERMINERS][:1]
        return bool(rest) and rest[0] in self.things and rest[0] not in self.people

    def _on_a_height_decided(self, words: list[str], line: str) -> bool:
        """ "estoy en el puente de la carretera, ya lo decidí": the writer on a height beside a
        decision or an absence, no jump said; or lost there ("no sé qué hago aquí") or past
        hope ("ya no puedo más"). Not "estoy en el puente, ya no voy a estar en la sesión" (an
        absence from a meeting is a figure of speech), nor a decision about work."""
        gone = self.gone and any(not self._figurative(line, m) for m in self.gone.finditer(line))
        lost = any(
            not self._said_of_a_task(line, m)
            for m in (self.lost_there.finditer(line) if self.lost_there else ())
        ) or bool(_DOUBTS_OWN_ACT.search(line))
        if not (gone or lost or self._hopeless(line)):
            return False
        # "no sé pa qué le escribo a un bot": the bot is who is told, no work to do.
        if self.work and self.work.search(_TO_THE_BOT.sub(" ", line)):
            return False  # "estoy en el puente en el tráfico, ya lo decidí: presento el informe"
        for m in self.heights.finditer(line):
            pos = line.count(" ", 0, m.start())
            # "estoy en la orilla del río", "llevo rato parada en la orilla de la laguna"
            if not _HERE_NOW & set(words[max(0, pos - 7) : pos]):
                continue
            # "estoy en el techo instalando la antena, no sé qué hago aquí": busy up there, a
            # task; no decision nor absence is then said.
            if not gone and any(_busy(w) for w in words[pos + 1 : pos + 6]):
                continue
            return True
        return False

    def _said_of_a_task(self, line: str, match: re.Match[str]) -> bool:
        """ "ya nada tiene sentido con este sistema", "ya me da igual si llueve": the words of
        despair said of a thing or a condition, not of oneself."""
        after = line[match.end() :].split()[:4]
        if after[:1] == ["si"]:
            return True
        content = [w for w in after if w not in _DETERMINERS and w not in _FROM_OR_WITH]
        return bool(content) and content[0] in self.things

    def _own_partners(self, words: list[str]) -> list[int]:
        """Where the writer's own partner is named ("mi esposo", "mi ex")."""
        return [
            i
            for i, w in enumerate(words)
            if w in self.partners and i > 0 and words[i - 1] in _POSSESSIVES
        ]

    def _relation_positions(self, words: list[str]) -> list[int]:
        return [
            i
            for i, w in enumerate(words)
            if w in self.relations and i > 0 and words[i - 1] in (*_POSSESSIVES, "su", "el", "la")
        ]

    def _stalked(self, words: list[str], line: str) -> bool:
        """An ex who follows, waits outside, calls non-stop ("mi ex no deja de seguirme", "mi
        ex me está esperando afuera"): the writer is in danger. A partner counts only with "no
        deja de"; "mi esposo me espera en casa" is no threat."""
        if not self.stalking:
            return False
        planted = self.planted.finditer(line) if self.planted else ()
        for m in (*self.stalking.finditer(line), *planted):
            pos = line.count(" ", 0, m.start())
            after = line[m.end() :].split()[:2]
            if after and _GERUND.search(after[0]):
                continue  # "me sigue mandando trabajo": he keeps doing something
            if _online(after):
                continue  # "mi ex me sigue en facebook"
            start = max(0, pos - 2 * WINDOW)  # "mi ex me mandó un audio diciendo que..."
            near = words[start:pos]
            if any(
                w.startswith("ex") and w in self.partners and self._ex_partner(words, start + j)
                for j, w in enumerate(near)
            ):
                return True
            if any(w in self.partners for w in near) and "no deja de" in " ".join(near[-4:]):
                return True
            # "el que fue mi pareja me espera a la salida": a former partner, said so.
            if any(
                w in self.partners and near[j - 2 : j] in (["fue", "mi"], ["era", "mi"])
                for j, w in enumerate(near)
            ):
                return True
        return False

    def _ex_partner(self, words: list[str], i: int) -> bool:
        """ "mi ex", "mi ex pareja", "mi ex duerme en su carro"; not "mi ex jefe", "mi ex
        suegra" (a former boss, a former in-law: a person's word after "ex")."""
        if words[i] != "ex" or i + 1 >= len(words):
            return True
        after = words[i + 1]
        return after in self.partners or not (
            after in self.people or after in self.bosses or after in self.things
        )

    def _specific_minors(self, words: list[str], line: str) -> list[int]:
        """Where a given child or adolescent is named ("una adolescente", "mi sobrinita", "la
        hija de mi comadre, de 13 años"), not children in general ("casos de abuso a menores",
        "niñas y adolescentes")."""
        found = [
            i
            for i, w in enumerate(words)
            if (w in self.minors or self._school_child(words, i))
            and i > 0
            and (
                words[i - 1] in _DETERMINERS
                or words[i - 1] in _THIRD_POSSESSIVES
                or words[i - 1] in _COUNTS  # "dos chiquitos de mi barrio"
                or (words[i - 1] == "al" and w != "colegio")  # "al niño"; "al colegio" a place
            )
            and not self._anyone(words, i + 1)
        ]
        if any(age < ADULT_AGE for age in self._ages(words)):
            found += [
                i
                for i, w in enumerate(words)
                if w in self.relations and i > 0 and words[i - 1] in _DETERMINERS
            ] or [0]
        return sorted(found)

    def _child_in_danger(self, words: list[str], line: str) -> bool:
        """A named child and a sign of danger after it: confinement ("no la deja irse", "la
        tiene en su casa"), sexual euphemisms ("le pone la mano", "la molesta", "fotos sin
        ropa"), a man taking her to live with him, an injury, a pregnancy at 14 or younger.
        Not a topic question ("¿es delito si un profesor le pide fotos a una alumna?")."""
        if self.child_trade and not self.signals.law_question(line):
            for m in self.child_trade.finditer(line):
                if not self._hypothetical_before(words, line.count(" ", 0, m.start())):
                    return True  # "venden niñas en la feria de los domingos"
        if self._own_child_signs(words, line):
            return True
        minors = self._specific_minors(words, line)
        if not minors:
            return False
        first = minors[0]
        if self._topic_hypothetical(words, line, first + 1):
            return False
        # "¿qué hacer si una adolescente tiene moretones?": any such girl, unless a case is
        # told ("qué hago si una niña me cuenta que su tío la toca").
        if any(w in ("si", "cuando") for w in words[max(0, first - 5) : first]) and not (
            self.reported and self.reported.search(line)
        ):
            return False
        signs = []
        for regex in (self.child_signs, self.injuries, self.neglect):
            # child_signs is searched in `line + " "` (compile_list): its matches end on a space.
            for m in regex.finditer(line + " ") if regex else ():
                end = line.count(" ", 0, m.end() - 1)
                if not (self._turn(words, end) or self._for_a_task(words, end)):
                    signs.append(line.count(" ", 0, m.start()))
        # Before the child when the child is the one it is done to: "un señor les enseña
        # pornografía a los chicos de primaria".
        reach = 8 if first >= 2 and "a" in words[first - 2 : first] else 3
        if any(s > first or first - s <= reach for s in signs):
            return True
        # "la niña de mi vecina ... su padre le pega si no vende": violence on her, after her.
        if any(
            w in self.forms
            and i > first
            and words[i - 1] in _THIRD_CLITICS
            and not (
                w in self.with_relation and (self._turn(words, i) or self._inanimate(words, i))
            )
            and not self._peer_asked_about(words, line, i)
            for i, w in enumerate(words)
        ):
            return True
        # "una escolar de 13 tiene un enamorado de 28": a child with an adult.
        ages = self._ages(words)
        adults = [
            int(m.group(2)) for m in _ADULT_BESIDE.finditer(line) if m.group(1) not in self.minors
        ]
        if any(a <= CHILD_AGE_LIMIT for a in ages) and any(a >= ADULT_AGE for a in adults):
            return True
        # "mi vecina de 16 vive con un señor de 45": an adolescent with a man far older.
        if any(a < ADULT_AGE and b >= ADULT_AGE and b - a >= AGE_GAP for a in ages for b in adults):
            return True
        return self._abusive_pregnancy(words, line)

    def _own_child_signs(self, words: list[str], line: str) -> bool:
        """ "mi sobrina me dijo que su padrastro le mete la mano": a sign of a child in danger
        after the writer's own child (no adult age said), done by a concrete man who is not
        her partner ("mi hija dice que su esposo no la deja salir" is a grown woman's case);
        not a supposed one ("si mi hija me contara que...")."""
        if not self.child_signs:
            return False
        own = [
            i
            for i, w in enumerate(words)
            if w in _CHILDREN
            and words[i - 1 : i] in (["mi"], ["mis"])
            and not self._grown(words, i)
            and not {"si", "cuando"} & set(words[max(0, i - 5) : i])
        ]
        if not own or any(a >= ADULT_AGE for a in self._ages(words)):
            return False
        for m in self.child_signs.finditer(line + " "):
            sign = line.count(" ", 0, m.start())
            end = line.count(" ", 0, m.end() - 1)
            if self._turn(words, end) or self._for_a_task(words, end):
                continue
            # A man: "su tío", "el vecino", "el chofer de la combi" (not "su amiga").
            doers = [
                j
                for j in range(own[0] + 1, sign)
                if (words[j] in self.relations or words[j] in self.people)
                and words[j - 1] in ("el", "un", *_THIRD_POSSESSIVES)
                and not words[j].endswith(("a", "as"))
                and words[j] not in self.partners
            ]
            if doers:
                return True
        return False

    def _peer_asked_about(self, words: list[str], line: str, v: int) -> bool:
        """ "hubo un caso de bullying, un alumno le pegó a otro, ¿eso lo ve la instancia?": a
        fight between peers ("a otro", "a otra") told to ask about the work, no one child at
        risk named."""
        after = words[v + 1 : v + 3]
        return (
            len(after) == 2
            and after[0] in ("a", "al")
            and after[1] in _PEERS
            and self.signals.law_question(line)
        )

    def _for_a_task(self, words: list[str], end: int) -> bool:
        """ "les pide fotos a los alumnos para el álbum": what is asked has a purpose, a thing;
        not "le da plata para que no cuente" nor "a una alumna le toca exponer" (`_turn`)."""
        after = words[end + 1 : end + 7]
        for j, w in enumerate(after[:-2]):
            if w == "para" and after[j + 1] in _DETERMINERS and after[j + 1] not in _POSSESSIVES:
                return after[j + 2] not in self.people
        return False

    def _topic_hypothetical(self, words: list[str], line: str, pos: int) -> bool:
        """A conditional in a question about the law or the work ("¿están protegidos por la
        ley si sus hijos los maltratan?", "si un vecino sabe que a una señora la maltratan,
        ¿puede denunciar?"): no case, whatever the distance from "si" to the verb."""
        if not (self.topic_frame and self.hypothetical and self.topic_frame.search(line)):
            return False
        before = " ".join(words[:pos])
        return bool(self.hypothetical.search(before))

    def _pointless(self, line: str) -> bool:
        """ "¿para qué seguir?", "para qué sigo así": no reason to go on, said at the end of
        the message or with "así", "viviendo"; not "para qué seguir con el plan"."""
        if not self.pointless:
            return False
        for m in self.pointless.finditer(line):
            rest = line[m.end() :].lstrip()
            if not rest or (self.pointless_end and self.pointless_end.match(rest)):
                return True
        return False

    # ------------------------------------------------------------------ someone else

    def _someone_else(self, words: list[str], line: str, relations: list[int]) -> bool:
        """Violence told about another person, even inside a question ("que hago si una mujer
        llega diciendo que su esposo le pega"): a real case, not a topic."""
        if self._only_reported(line):
            return False  # "¿a dónde acude una señora a denunciar que su pareja la maltrata?"
        violent = [i for i, w in enumerate(words) if w in self.forms]
        for rule in self.verb_objects:  # "la obligo a tener relaciones", "la boto de la casa"
            if rule.kind != "violence":
                continue
            objects = [line.count(" ", 0, m.start()) for m in rule.objects.finditer(line)]
            violent += [
                i
                for i, w in enumerate(words)
                if w in rule.forms and any(i < o <= i + OBJECT_REACH for o in objects)
            ]
        theirs = [
            i
            for i, w in enumerate(words)
            if w in self.relations and i > 0 and words[i - 1] in _THIRD_POSSESSIVES
        ]
        people = [i for i, w in enumerate(words) if w in self.relations]
        violent = [
            v
            for v in violent
            if not (
                words[v] in self.with_relation
                and (self._inanimate(words, v) or self._turn(words, v))
            )  # "su jefe toco el tema", "le toca a la oficina"
            and not self._law_touched(words, v)  # "la ley... la tocaron varias veces"
        ]
        reports = self._supposed_report_end(line)
        for v in violent:
            if 0 < v - reports <= WINDOW:
                continue  # "¿a dónde va una señora a denunciar que su esposo le pega?"
            clitic = self._their_object_before(words, v)
            # "su pareja la golpea", "su abuelo le toca sus partes", "su novio la controla y
            # la golpea": their close one does it.
            reach = WINDOW if clitic else 4
            if (
                any(0 < v - r <= reach for r in theirs)
                and (clitic or not words[v].endswith(("ar", "er", "ir")))
                and not self._topic_hypothetical(words, line, v)
            ):
                return True
            if (
                self._hypothetical_before(words, v)
                or self._generic_subject(words, v)
                or self._topic_hypothetical(words, line, v)
                or self._named_topic(words, v)  # "una charla sobre castigo físico a los niños"
                or _to_an_animal(words, v)
            ):
                continue
            # "violaron a una niña", "el director acosa a las alumnas", "abusó de un menor";
            # not "gritar e insultar a la pareja ¿es violencia?" (a verb named, not done).
            if (
                self._to_a_person(words, v)
                and not self._bare_infinitive(words, v)
                and not (v > 0 and words[v - 1] in _GENERIC_ARTICLES)  # "el castigo a los niños"
            ):
                return True
            # "un señor le pega a su esposa"; not "el que golpea a su pareja".
            if clitic and self._to_theirs(words, v):
                return True
            # "la niña de al lado ... creo que la golpean": a person, then "la" + the verb.
            if (
                clitic
                and not words[v].endswith(("ar", "er", "ir"))
                and any(0 < v - r <= WINDOW + 2 for r in people)
            ):
                return True
            # "el la amenazó de muerte", "está amenazada de muerte": a death threat to someone.
            if (
                words[v + 1 : v + 3] == ["de", "muerte"]
                and ((clitic and _PAST.search(words[v])) or _PARTICIPLE.search(words[v]))
                and not self._anyone(words, v)
                and not self._bare_plural(words, v - 1)  # "reciben a mujeres amenazadas..."
            ):
                return True
            # "una mujer de mi comunidad fue violada ayer"; not "si una mujer fue violada".
            if (
                v > 0
                and (
                    words[v - 1] in _THIRD_PASSIVE
                    or (v > 1 and words[v - 1] in _BETWEEN and words[v - 2] in _THIRD_PASSIVE)
                )
                and _PARTICIPLE.search(words[v])
                and not self._anyone(words, v)
                and not self._bare_plural(words, v - 2)  # "cuántas mujeres fueron quemadas"
            ):
                return True
        if self.injuries:
            # "un estudiante tiene quemaduras en los brazos", "llego con moretones"; not "que
            # hacer si una victima tiene moretones".
            people = {i for i, w in enumerate(words) if w in self.relations or w in self.minors}
            arrivals = (
                [line.count(" ", 0, m.end()) for m in self.arrival.finditer(line)]
                if self.arrival
                else []
            )
            for m in self.injuries.finditer(line):
                pos = line.count(" ", 0, m.start())
                # "una trabajadora llegó con la cara rota", "su esposo le dejó moretones".
                near = [p for p in people if 0 < pos - p <= WINDOW]
                close = (
                    bool(near)
                    or any(0 <= pos - a <= ARRIVAL_REACH for a in arrivals)
                    or any(0 < pos - r <= WINDOW for r in theirs)
                )
                # "si pueden denunciar cuando ven a una alumna o a una mamá con golpes": the
                # people are supposed, however far the injury is from "cuando".
                if close and not (
                    self._hypothetical_before(words, pos)
                    or self._anyone(words, pos)
                    or (near and self._hypothetical_before(words, min(near)))
                ):
                    return True
        if self.reported:
            # "me conto que la golpean", "dice que su esposo la amenaza", "tengo una amiga que
            # es agredida"; not "la ley dice que quien golpea...": the violence falls on a
            # person (a pronoun, "su ...", or the person just presented).
            for m in self.reported.finditer(line):
                pos = line.count(" ", 0, m.end())
                presents = m.group(0).startswith(_PRESENTING)
                for v in violent:
                    if (
                        pos <= v <= pos + WINDOW
                        and (
                            presents
                            or words[v - 1] in _THIRD_CLITICS
                            or any(0 < v - r <= 4 for r in theirs)
                        )
                        and not self._topic_hypothetical(words, line, v)
                    ):
                        return True
                if presents and self.third_person:
                    for t in self.third_person.finditer(line):
                        if pos <= line.count(" ", 0, t.start()) <= pos + WINDOW:
                            return True
        if self.third_person:
            # "mi hija sufre violencia de su pareja", "su hermana vive violencia"; not "si una
            # mujer sufre violencia de su pareja" (their close one, after: the aggressor).
            for m in self.third_person.finditer(line):
                pos = line.count(" ", 0, m.start())
                if any(abs(pos - r) <= WINDOW for r in relations) or any(
                    0 < pos - r <= 4 for r in theirs
                ):
                    return True
        if self.heard:
            # "se escuchan golpes donde mi vecina", "una vecina grita pidiendo auxilio".
            for m in self.heard.finditer(line):
                if not self._hypothetical_before(words, line.count(" ", 0, m.start())):
                    return True
        if self._feared_missing(words, line) or self._aggressor_at_large(words, line):
            return True
        if self.presence:
            # "dice que su pareja la espera afuera": the aggressor waits for her; "dice que el
            # agresor salió libre y está rondando su casa": he prowls where she lives.
            aggressors = [
                i
                for i, w in enumerate(words)
                if i > 0
                and (
                    (w in _AGGRESSORS and words[i - 1] in (*_THIRD_POSSESSIVES, *_ARTICLES))
                    or (w in self.partners and words[i - 1] in _THIRD_POSSESSIVES)
                )
            ]
            for m in self._presences(line):
                pos = line.count(" ", 0, m.start())
                if m.group(0).startswith(("la ", "lo ")) and any(0 < pos - r <= 4 for r in theirs):
                    return True
                if " su " in f" {m.group(0)} " and any(0 < pos - a <= WINDOW for a in aggressors):
                    return True
        return False

    def _supposed_report_end(self, line: str) -> int:
        """Where "¿a dónde va una señora a denunciar...?" ends (a word index), or -100: anyone
        who would report, asked where or how; not when the writer asks what to do ("una señora
        quiere denunciar que su esposo le pega, ¿a dónde la llevo?")."""
        m = _WHERE_ONE_REPORTS.search(line)
        if m is None or self.signals.asks_for_help(line):
            return -100
        return line.count(" ", 0, m.end())

    def _only_reported(self, line: str) -> bool:
        """Every harm in the message is what anyone would report, asked where or how."""
        end = self._supposed_report_end(line)
        if end < 0:
            return False
        first = self.signals.harm.search(line + " ")
        return first is not None and line.count(" ", 0, first.start()) > end

    def _feared_missing(self, words: list[str], line: str) -> bool:
        """ "una compañera lleva tres días sin venir y su esposo contesta su celular, me da mala
        espina": someone gives no news and the writer fears the worst; the absence alone ("la
        regidora lleva días sin venir") is work."""
        if not (self.no_news and self.foreboding and self.foreboding.search(line)):
            return False
        for m in self.no_news.finditer(line):
            pos = line.count(" ", 0, m.start())
            before = words[max(0, pos - WINDOW) : pos]
            if any(w in self.relations and w not in self.bosses for w in before) and not (
                self._hypothetical_before(words, pos) or self.signals.law_question(line)
            ):
                return True
        return False

    def _aggressor_at_large(self, words: list[str], line: str) -> bool:
        """ "el agresor salió del penal, ella nos dijo que la iba a buscar y ya no contesta":
        two of the aggressor loose, his word that he will go for her, and her silence or her
        hiding ("dice que el esposo la está buscando y que se escondió en una chacra"). One alone
        is work ("¿le avisan a la víctima cuando el agresor sale del penal?"), and so is a case
        only supposed or a question about the law."""
        if not (self.no_news and self.released and self.seeks_her):
            return False
        released = [line.count(" ", 0, m.start()) for m in self.released.finditer(line)]
        seeks = [line.count(" ", 0, m.start()) for m in self.seeks_her.finditer(line)]
        silent = [
            pos
            for regex in (self.no_news, self.hiding)
            if regex
            for pos in (line.count(" ", 0, m.start()) for m in regex.finditer(line))
            if any(
                w in self.relations and w not in self.bosses
                for w in words[max(0, pos - WINDOW) : pos]
            )
        ]
        signs = [p for p in (released[:1], seeks[:1], silent[:1]) if p]
        if len(signs) < 2:
            return False
        # Without him loose, it is his word: someone who could go for her is named.
        if not released and not any(w in self.partners or w in _AGGRESSORS for w in words):
            return False
        # "si el agresor sale libre y la va a buscar, ¿...?": supposed from the first sign on;
        # "le dijo que si lo denunciaba la iba a buscar" is the threat's own condition.
        return not (
            self._hypothetical_before(words, min(p[0] for p in signs))
            or self.signals.law_question(line)
        )

    def _anyone(self, words: list[str], v: int) -> bool:
        """ "una mujer que es golpeada...", "una mujer que llega con moretones": any woman, a
        question about such cases; not "tengo una amiga que es agredida" (one presented)."""
        for j in range(max(2, v - 6), v):
            if (
                words[j] == "que"
                and (words[j - 1] in self.relations or words[j - 1] in self.minors)
                and words[j - 2] in _INDEFINITE
            ):
                if j + 1 < len(words) and words[j + 1] in _MET:
                    return False  # "una mujer que atendimos hoy": one met, not any
                with_her = words[max(0, j - 8) : j - 3]
                if j >= 4 and words[j - 3] == "con" and _BEING_WITH & set(with_her):
                    return False  # "estamos en la comisaría con una señora que fue..."
                return not (j >= 3 and words[j - 3] in _PRESENTING_VERBS)
        return False

    def _bare_infinitive(self, words: list[str], v: int) -> bool:
        """ "insultar a la pareja": a verb named, with no auxiliary that makes it a deed or
        a threat ("quiere violar a una niña", "intentó violar a una niña")."""
        if not words[v].endswith(("ar", "er", "ir")):
            return False
        before = " ".join(words[max(0, v - 3) : v])
        return not any(before.endswith(aux) or before.endswith(aux + " a") for aux in self.aux)

    @staticmethod
    def _generic_subject(words: list[str], v: int) -> bool:
        """ "el que le pega a su pareja", "quien golpea": anyone, not a case."""
        before = words[max(0, v - 3) : v]
        if any(w in ("quien", "quienes") for w in before):
            return True
        for j in range(max(1, v - 3), v):
            if words[j] != "que":
                continue
            # "el que le pega", "el esposo que le quita el dinero..." (any husband); not "un
            # enamorado que la maltrata" or "su pareja, que la golpea".
            if words[j - 1] in _GENERIC_ARTICLES or (j >= 2 and words[j - 2] in _GENERIC_ARTICLES):
                return True
        return False

    def _to_a_person(self, words: list[str], v: int) -> bool:
        """ "violaron a una niña", "acosa a las alumnas": the violence falls on a child or a
        close one named right after the verb."""
        for j in range(v + 1, min(v + 3, len(words))):
            if words[j] in ("a", "de"):
                k = j + 1
                if k < len(words) and words[k] in _PERSON_DETERMINERS:
                    k += 1
                if k == j + 1 and self._bare_plural(words, k):
                    return False  # "abuso sexual a menores": children in general
                return k < len(words) and (words[k] in self.minors or words[k] in self.relations)
        return False

    def _bare_plural(self, words: list[str], i: int) -> bool:
        """ "mujeres", "menores", "niñas" with no article: people in general, a topic."""
        if not (0 <= i < len(words)) or not words[i].endswith("s"):
            return False
        person = words[i] in self.minors or words[i] in self.relations or words[i] in _PEOPLE
        return person and not (i > 0 and words[i - 1] in (*_DETERMINERS, *_THIRD_POSSESSIVES))

    def _turn(self, words: list[str], v: int) -> bool:
        """ "le toca a la oficina de la mujer", "le toca al CEM", "me toca presentar el
        informe": someone's turn, not a touch (a touch falls on a person: "toca a su hija", "le
        toca sus partes", "le toca al niño")."""
        if words[v] not in self.with_relation or v + 1 >= len(words):
            return False
        if self._touches_her(words, v):
            return False  # "la tocó a mi hija": "la" is whom he touched, a turn is "le toca"
        after = words[v + 1]
        if after.endswith(("ar", "er", "ir")):
            return True
        if after not in ("a", "al"):
            return False
        k = v + 2
        # "le toca al CEM", "le toca al niño": "al" is the article already.
        if (
            after == "a"
            and k < len(words)
            and (words[k] in _PERSON_DETERMINERS or words[k] in _THIRD_POSSESSIVES)
        ):
            k += 1
        after_person = words[k + 1] if k + 1 < len(words) else ""
        if _INFINITIVE.search(after_person) and after_person not in (*_STOP, *_NOT_INFINITIVES):
            return True  # "le toca al profesor informar", "le toca al niño exponer"
        return k >= len(words) or not (words[k] in self.minors or words[k] in self.relations)

    def _touches_her(self, words: list[str], v: int) -> bool:
        """ "la toca", "lo ha tocado", "la estuvo tocando": a touch whose object is a person's
        pronoun ("le toca" is a turn, "tocó el tema" a thing)."""
        for c in range(v - 1, max(-1, v - 4), -1):
            if [words[c]] in _HER_OR_HIM:
                between = words[c + 1 : v]
                return all(w in self.aux or w in _STAYED for w in between)
            if words[c] in self.forms:
                return False
        return False

    def _their_object_before(self, words: list[str], v: int) -> bool:
        """ "la golpea", "le pega", "la va a matar", "la ha golpeado": the verb falls on a
        third person named by a pronoun, possibly with an auxiliary in between. A participle
        takes no clitic: "por la agredida" is an article and the woman it names, anyone."""
        if v > 0 and words[v - 1] in _THIRD_CLITICS:
            return not (words[v - 1] in _ARTICLES and _PARTICIPLE.search(words[v]))
        before = " ".join(words[max(0, v - 6) : v])
        return any(
            before.endswith(f"{clitic} {aux}") or before.endswith(f"{clitic} {aux} a")
            for aux in self.aux
            for clitic in _THIRD_CLITICS
        )

    def _child_touched(self, words: list[str]) -> bool:
        """ "un señor me tocó en el bus y tengo 12 años", "me tocaron en el colegio": a child
        touched; not "me tocó ir al colegio" (it was my turn)."""
        if not self._minor_mentioned(words, " ".join(words)):
            return False
        for v, w in enumerate(words):
            if w in _PAST_TOUCH and v > 0 and words[v - 1] in _FIRST_PERSON:
                after = words[v + 1] if v + 1 < len(words) else ""
                if not after.endswith(("ar", "er", "ir")) and not self._inanimate(words, v):
                    return True
        return False

    def _minor_mentioned(self, words: list[str], line: str) -> bool:
        if _PUPIL.search(" ".join(words)):
            return True
        return any(
            (w in self.minors and not self._where_they_work(words, i) and not self._grown(words, i))
            or self._school_child(words, i)
            for i, w in enumerate(words)
        ) or any(a < ADULT_AGE for a in self._ages(words))

    @staticmethod
    def _grown(words: list[str], i: int) -> bool:
        """ "mi nieto de 20", "una estudiante de la universidad de 21": a word for a child said of
        someone grown up (an adult age or a university a few words after it)."""
        after = words[i + 1 : i + 8]  # "un hijo con síndrome de down de 30"
        for j, w in enumerate(after[:-1]):
            if w == "de" and after[j + 1].isdigit() and int(after[j + 1]) >= ADULT_AGE:
                return True
        return any(w.startswith(("unibersi", "instituto")) for w in after[:3])

    def _where_they_work(self, words: list[str], i: int) -> bool:
        """ "una profesora del colegio", "el director de la escuela": the school names where an
        adult works, not a child."""
        return (
            words[i] == "colegio"
            and i >= 2
            and words[i - 1] == "del"
            and words[i - 2] in self.people
            and words[i - 2] not in self.minors
        )

    def _school_child(self, words: list[str], i: int) -> bool:
        """ "los chicos de quinto grado", "las chicas del colegio": children by their school;
        "las chicas del comedor" are grown women."""
        return words[i] in self.school_minors and any(
            w in self.school_grades for w in words[i + 1 : i + 4]
        )

    def _ages(self, words: list[str]) -> list[int]:
        """Ages said in the message: "12 años", "tengo 15", "mi sobrina de 14"."""
        line = " ".join(words)
        ages = [
            int(m.group(1))
            for p in (_CHILD_AGE, _MY_AGE, _THEIR_AGE)
            for m in p.finditer(line)
            if not line[: m.start()].endswith(_DURATION)  # "ya son 10 años que me maltrata"
        ]
        for i in range(2, len(words)):
            if (
                words[i].isdigit()
                and len(words[i]) <= 2
                and words[i - 1] == "de"
                # "mi sobrina de 14", "unas chicas de 15": a person's age; "embarazada de 5
                # (meses)" is how long.
                and (words[i - 2] in self.people or words[i - 2].rstrip("s") in self.people)
                and not words[i - 2].startswith(("embarasad", "gestante"))
            ):
                ages.append(int(words[i]))
        return ages

    def _to_theirs(self, words: list[str], v: int) -> bool:
        """ "le pega a su esposa": the violence falls on someone's close one."""
        for j in range(v + 1, min(v + 3, len(words) - 2)):
            if words[j] == "a" and words[j + 1] in _THIRD_POSSESSIVES:
                return words[j + 2] in self.relations
        return False

    def _victim(self, words: list[str], line: str) -> Victim:
        """A child or adolescent (the writer or the one they tell about: the reply adds the
        DEMUNA), the writer, or someone else. Children who saw it ("la amenazó delante de los
        niños") do not make the case a child's."""
        seen = set()
        for m in _WITNESSING.finditer(line):
            i = line.count(" ", 0, m.end())
            seen.add(i)
            if words[i + 1 : i + 2] == ["de"] and words[i + 2 : i + 3] and words[i + 2].isdigit():
                seen |= {i + 1, i + 2, i + 3}  # "delante de mi niña de 3 años"
        # "con sus tres hijos" reads as "con sus hijos": a count says nothing of who is at risk.
        seen |= {
            i
            for i, w in enumerate(words)
            if w in _COUNTS and i > 0 and words[i - 1] in (*_THIRD_POSSESSIVES, *_POSSESSIVES)
        }
        if seen:
            words = [w for i, w in enumerate(words) if i not in seen]
            line = " ".join(words)
        # "la mamá de un alumno vino golpeada": the child only says whose mother she is.
        words = [
            w
            for i, w in enumerate(words)
            if not (
                w in self.minors
                and i >= 3
                and words[i - 1] in _PERSON_DETERMINERS
                and words[i - 2] == "de"
                and words[i - 3] in _PARENTS
            )
            # "la viola desde que era niña": a childhood past, the victim is grown up now.
            and not (w in self.minors and i >= 1 and words[i - 1] in ("era", "desde"))
            # "la corrió de la casa con su bebé", "está en la pista con la bebe": the child
            # goes along with the adult.
            and not (
                w in self.minors
                and i >= 2
                and (
                    (
                        words[i - 1] in (*_THIRD_POSSESSIVES, *_POSSESSIVES)
                        and words[i - 2] in _COMPANIONS
                    )
                    or (
                        words[i - 1] in _ARTICLES
                        and words[i - 2] == "con"
                        and words[i - 3 : i - 2] not in (["metio"], ["mete"], ["se"], ["meterse"])
                    )
                )
            )
            # "su nieto la maltrata", "su hijo mayor la golpea": the child (grown) does it to
            # the elder or the mother, who is the one in danger.
            and not (w in self.minors and self._does_it(words, i))
            # "la amenaza con quitarle a los niños": the children are what is threatened, the
            # mother is the one in danger.
            and not (
                w in self.minors
                and i >= 3
                and "a" in words[i - 2 : i]
                and any(x.startswith(_TAKING) for x in words[max(0, i - 4) : i - 1])
            )
        ]
        line = " ".join(words)
        first = self._first_person(words, line) or bool(
            self.writer_in_danger and self.writer_in_danger.search(line)
        )
        if (
            self._minor_mentioned(words, line)
            and not (first and self._own_children(words))
            and not (not first and self._partner_harms_a_woman(words))
        ):
            return "child"
        if first:
            return "self"
        # "con sus hijos": children who go along with the adult victim.
        words = [
            w
            for i, w in enumerate(words)
            if not (i >= 2 and words[i - 1] in _THIRD_POSSESSIVES and words[i - 2] in _COMPANIONS)
        ]
        children = _CHILDREN
        # "sus hijos la encierran": the children do it, to an adult.
        victims = [
            i
            for i, w in enumerate(words)
            if w in children
            and (
                not (i + 1 < len(words) and words[i + 1] in _THIRD_CLITICS)
                or words[i - 2 : i - 1] == ["a"]  # "a mi hijo le pegan": done to the child
            )
            and not self._does_it(words, i)
            # "el papá de sus hijos salió del penal": the children only say who he is.
            and not (i >= 3 and words[i - 2] == "de" and words[i - 3] in _PARENTS)
        ]
        # An elder or a grown-up age makes the children named the elder's family ("mi abuelo
        # no come, sus hijos no hacen caso"), unless the harm is done to the child ("mi abuelo
        # le pega a mi hijo").
        done_to = any(words[i - 2 : i - 1] == ["a"] for i in victims)
        # "mi hija me contó que su abuelo la toca": the elder who does it is no elder at risk.
        elder = any(
            not self._does_it(words, line.count(" ", 0, m.end() - 1))
            for m in (self.elders.finditer(line) if self.elders else ())
        )
        # "mi sobrina de 22", "un hijo con autismo de 25".
        grown = any(age >= ADULT_AGE for age in self._ages(words)) or (
            bool(victims) and all(self._grown(words, i) for i in victims)
        )
        if (
            victims
            and (done_to or not (elder or grown))
            # "el enamorado de mi hermana la tocó a mi hija", "el primo de mi esposo...": another
            # woman's partner or the writer's own, no sign that the child is grown.
            and not any(
                w in self.partners
                and words[i + 1 : i + 2] != ["de"]
                and words[i - 1 : i] not in (["mi"], ["mis"])
                for i, w in enumerate(words)
            )
        ):
            return "child"  # "mi hija fue violada"; not "mi hija sufre violencia de su pareja"
        return "self" if self._own_partner_raging(words) else "other"

    def _own_partner_raging(self, words: list[str]) -> bool:
        """ "mi esposo llegó tomado y está rompiendo todo": the writer's own partner does it and
        nobody else is named, so the one at risk is the writer; not "mi esposo le pega a mi
        cuñada" (someone else named) nor "su esposo la golpea" (someone else's partner)."""
        own = self._own_partners(words)
        if not own:
            return False
        return not any(
            w in self.relations and w not in self.partners for w in words
        ) and not any(w in _THIRD_POSSESSIVES for w in words[own[0] + 1 :])

    def _partner_harms_a_woman(self, words: list[str]) -> bool:
        """ "una señora que su pareja la deja encerrada..., los niños piden pan": a woman whose
        partner does it to her is the one in danger; children beside her are not the case
        unless it is done to them ("a los niños les pega")."""
        if any(w in self.minors and "a" in words[max(0, i - 2) : i] for i, w in enumerate(words)):
            return False
        for i, w in enumerate(words):
            if (
                w in self.partners
                and words[i - 1 : i] in (["su"], ["sus"])
                and _THIRD_CLITICS & set(words[i + 1 : i + 3])
                and any(
                    x in self.people and x not in self.minors for x in words[max(0, i - 5) : i - 1]
                )
            ):
                return True
        return False

    def _does_it(self, words: list[str], i: int) -> bool:
        """ "su nieto la maltrata", "sus hijos mayores le quitan su pensión": someone's child
        or grandchild named as the one who does it, a clitic for the victim right after; "el
        hijo de don Julio amarra a su papá": a grown-up named after the verb."""
        if words[i - 1 : i] == ["el"] and words[i - 2 : i - 1] != ["a"]:
            after = words[i + 1 : i + 10]
            harm = any(w in self.forms for w in after) or self.signals.harm.search(
                " ".join(after) + " "
            )
            return bool(harm) and any(
                after[j] == "a"
                and after[j + 1] in _THIRD_POSSESSIVES
                and after[j + 2] in self.relations
                and after[j + 2] not in self.minors
                and after[j + 2] not in _CHILDREN
                for j in range(len(after) - 2)
            )
        return (
            i >= 1
            and words[i - 1] in _THIRD_POSSESSIVES
            and words[i - 2 : i - 1] != ["a"]
            and any(w in _THIRD_CLITICS for w in words[i + 1 : i + 3])
        )

    def _writer_wins(self, words: list[str], line: str, victim: Victim) -> Victim:
        """The writer in danger beside others ("mi ex entró a la casa y estoy con mis hijos en
        el baño"): the reply is the writer's, unless the writer is a child."""
        if victim == "self" or not (self.writer_in_danger and self.writer_in_danger.search(line)):
            return victim
        if any(int(age) < ADULT_AGE for age in _MY_AGE.findall(line)):
            return "child"
        return "self"

    def _own_children(self, words: list[str]) -> bool:
        """The children named are the writer's, beside the writer's own danger ("me golpeó y
        me dijo que me quita a los niños"), and the writer is no child: the writer is the one
        in danger. Not when the violence falls on them ("le pega a mis hijos")."""
        if any(age < ADULT_AGE for p in (_MY_AGE,) for age in map(int, p.findall(" ".join(words)))):
            return False
        own = False
        for i, w in enumerate(words):
            if i > 0 and words[i - 1] == "mis" and w in ("ijos", "ijas"):
                own = True  # "afuera del colegio de mis hijos"
            # "me mandó una foto de mi hija saliendo del colegio", "sabe a qué hora sale mi
            # niña": the child held over the stalked writer; "el papá de mi hija me ...": the
            # child only says who he is.
            if (
                (w in self.minors or w in _CHILDREN)
                and words[i - 1] in _POSSESSIVES
                and (
                    any(x.startswith(_LEVERAGE) for x in words[max(0, i - 6) : i - 1])
                    or (i >= 3 and words[i - 2] == "de" and words[i - 3] in _PARENTS)
                )
            ):
                own = True
                continue
            if w not in self.minors or w == "colegio":  # "del colegio": a place
                continue
            stake = (i >= 3 and words[i - 2] == "a" and words[i - 3].startswith(_TAKING)) or (
                i >= 2 and words[i - 1] == "al" and words[i - 2].startswith(_TAKING)
            )
            if stake:  # "me amenaza con quitarme a mi bebé", "con llevarse al niño"
                own = True
                continue
            if not (w.endswith("s") and i > 0 and words[i - 1] in ("mis", "los", "las")):
                return False  # "mi hijita", "una niña": a child on their own
            before = words[max(0, i - 5) : i - 2]
            if words[i - 2] in ("a", "de") and any(b in self.forms for b in before):
                return False  # "golpea a mis hijos", "abusa de mis hijas"
            own = True
        return own

    def _first_person(self, words: list[str], line: str) -> bool:
        """Does the writer say they are the one hurt, afraid or calling for help?"""
        if self._says_first_person(words, line):
            return True
        # "mis hijos y yo estamos en el cuarto", "yo estoy encerrada": the writer is there.
        if "yo" in words and any(w in ("estoy", "estamos", "estaba", "estabamos") for w in words):
            return True
        # "mi ex me está esperando afuera", "mi esposo nos amenaza": the partner does it to me;
        # "mi conviviente está afuera con un desarmador": the writer's own partner at her door.
        presences = (
            [line.count(" ", 0, m.start()) for m in self._presences(line)] if self.presence else []
        )
        for i in self._own_partners(words):
            if self._ex_partner(words, i) and (
                any(x in _FIRST_PERSON for x in words[i + 1 : i + 3])
                or any(0 < p - i <= 2 for p in presences)
            ):
                return True
        if self._stalked(words, line):
            return True
        # "auxilio" is the writer's own cry, unless someone else is heard crying it ("una
        # vecina grita pidiendo auxilio").
        if self.urgency and any(
            not line[: m.start()].endswith(_CRIED) for m in self.urgency.finditer(line)
        ):
            return True
        if self.third_person and any(  # "mi profesor me manda fotos"
            m.group(0).startswith("me ") for m in self.third_person.finditer(line)
        ):
            return True
        if self._bare_plea(words):
            return True
        for v, w in enumerate(words):
            if w in self.forms and (
                w in self.to_me
                or self._object_before(words, v)
                or self._to_me(words, v)
                or self._passive_first_person(words, v)
            ):
                return True
            # "me jala del pelo", "me bota de la casa", "mi esposo me corta los brazos".
            for rule in self.verb_objects:
                if w in rule.forms and (w in rule.to_me or self._object_before(words, v)):
                    return True
        if self.injuries:
            for m in self.injuries.finditer(line):
                pos = line.count(" ", 0, m.start())
                start = max(0, pos - WINDOW)
                if any(
                    w in _HURT_MARKS
                    and not self._presents_person(words, start + i)
                    and not self._reports(words, start + i)
                    and not self._someone_elses_past(words, start + i)
                    for i, w in enumerate(words[start : pos + 3])
                ):
                    return True
        return bool(
            self.presence
            and any(m.group(0).startswith(("me ", "nos ")) for m in self._presences(line))
        )

    def _someone_elses_past(self, words: list[str], i: int) -> bool:
        """ "mi hermana no contesta ... la última vez tenía moretones": "tenía" and "estaba" are
        the writer's or anyone's; after someone named (not the writer's own partner, who would
        be the one who hurts) and with no "yo", they are that person's."""
        if words[i] not in _EITHER_PERSON_PAST or words[i - 1 : i] == ["yo"]:
            return False
        # "las vecinas dicen que la última vez tenía la cara hinchada": told by others.
        if any(w in _REPORTING for w in words[max(0, i - 6) : i]):
            return True
        return any(
            r < i and (words[r] not in self.partners or words[r - 1] in _THIRD_POSSESSIVES)
            for r in self._relation_positions(words)
        )

    def _afraid_witness(self, words: list[str], line: str) -> bool:
        """ "escuché golpes donde mi vecina ... el tipo es policía y me da miedo": the writer
        heard violence done to someone else and fears stepping in; the fear alone does not make
        the writer the one in danger."""
        if not (self.heard and self.fear and self.heard.search(line)):
            return False
        # "se escuchan golpes, mi esposo está rompiendo todo": her own partner, her danger.
        if any(w in self.partners and words[i - 1] in _POSSESSIVES for i, w in enumerate(words)):
            return False
        others = [
            i
            for i, w in enumerate(words)
            if w in self.people and i > 0 and words[i - 1] in (*_ARTICLES, "mi", "su", "donde")
        ]
        if not others:
            return False
        spans = [
            (line.count(" ", 0, m.start()), line.count(" ", 0, m.end()) + 1)
            for m in self.fear.finditer(line)
        ]
        if not spans:
            return False
        feared = {i for a, b in spans for i in range(a, b)}
        fearless = ["_" if i in feared else w for i, w in enumerate(words)]
        return not self._first_person(fearless, " ".join(fearless))

    def _says_first_person(self, words: list[str], line: str) -> bool:
        """ "no me deja salir", "tengo miedo"; not "el sistema no me deja salir del paso 3",
        "tengo miedo que la mate" (fear for someone else) or "tengo miedo de equivocarme con el
        reporte"."""
        if self.first_person and any(
            not self._said_of_a_thing(words, line, m) for m in self.first_person.finditer(line)
        ):
            return True
        return bool(self.fear) and any(
            not self._fear_for_another(line, m) and not self._fear_of_work(words, line, m)
            for m in self.fear.finditer(line)
        )

    def _said_of_a_thing(self, words: list[str], line: str, match: re.Match[str]) -> bool:
        """ "el sistema no me deja salir del paso 3", "no me deja salir de la pantalla": a
        thing, before or after the phrase, not a person."""
        start = line.count(" ", 0, match.start())
        end = line.count(" ", 0, match.end()) + 1
        after = [w for w in words[end : end + 3] if w not in ("de", "del", "al", *_DETERMINERS)]
        before = [w for w in words[max(0, start - 2) : start] if w not in ("no", *_DETERMINERS)]
        return bool(after[:1] and after[0] in self.things) or bool(
            before[-1:] and before[-1] in self.things
        )

    def _fear_of_work(self, words: list[str], line: str, match: re.Match[str]) -> bool:
        """ "tengo miedo de equivocarme con el reporte", "tengo miedo de que no alcance para el
        taller": a worry about work; not "tengo miedo de volver a la casa" (going home, going
        out)."""
        after = line[match.end() :].split()[:3]
        if after[:2] == ["de", "que"] or after[:1] == ["que"]:
            # "tengo miedo de que no alcance el presupuesto": a clause about work; not "...de
            # que me pegue", "...que la mate" (a person in it).
            clause = after[2:] if after[0] == "de" else after[1:]
            if clause[:1] and clause[0] in _FIRST_PERSON:
                # "tengo miedo que me saquen del cargo": out of a post, a worry about work;
                # not "...que me saque de la casa".
                rest = line[match.end() :].split()[:8]
                return any(
                    w in ("de", "del") and any(x in self.things for x in rest[j + 1 : j + 3])
                    for j, w in enumerate(rest)
                )
            return bool(
                clause
                and clause[0] not in (*_CLITICS, "se", *_FIRST_PERSON)
                and self.work
                and self.work.search(line)
            )
        if len(after) < 2 or after[0] not in ("de", "a") or not _INFINITIVE.search(after[1]):
            return False
        if after[1].startswith(_GOING):
            return False
        return bool(self.work and self.work.search(line))

    @staticmethod
    def _fear_for_another(line: str, match: re.Match[str]) -> bool:
        """ "tengo miedo que la mate", "temo por ella", "tengo miedo que se muera": the fear is
        for someone else."""
        after = line[match.end() :].split()[:4]
        if after[:1] == ["de"]:
            after = after[1:]
        if after[:1] == ["que"] and len(after) > 1:
            if after[1] == "se" and len(after) > 2:
                return after[2].startswith(_DYING)
            return after[1] in _THIRD_CLITICS
        # "ella" is "eya" once folded.
        return after[:1] == ["por"] and len(after) > 1 and after[1] in _FOR_THEM

    def _presences(self, line: str) -> list[re.Match[str]]:
        """The aggressor's presence ("me sigue", "está afuera"); not "me sigue mandando
        trabajo" (a gerund after it: someone keeps doing something)."""
        if not self.presence:
            return []
        found = []
        for m in self.presence.finditer(line):
            after = line[m.end() :].split()[:2]
            if not (after and _GERUND.search(after[0])) and not _online(after):
                found.append(m)
        return found

    def _named_topic(self, words: list[str], v: int) -> bool:
        """ "el informe de casos de abuso", "la charla sobre violacion", "casos de tenencia y
        maltrato": a violent word named as a subject of work, not done to anyone."""
        # "una charla para padres sobre castigo físico": the topic noun a few words before.
        if (
            v >= 2
            and words[v - 1] in ("de", "sobre", "contra")
            and any(w in _TOPIC_NOUNS for w in words[max(0, v - 5) : v - 1])
        ):
            return True
        # "vienen casos de alimentos, tenencia, maltrato a los chicos": a kind of case, listed;
        # a noun, not a verb ("maltrataron").
        return bool(_NOUN_LIKE.search(words[v])) and self.signals.listed_kind(
            " ".join(words[max(0, v - 8) : v]) + " "
        )

    @staticmethod
    def _reports(words: list[str], i: int) -> bool:
        """ "me escribió que...", "me contó que...": the writer hears of it, not hurt."""
        return words[i] == "me" and i + 1 < len(words) and words[i + 1] in _REPORTING

    def _presents_person(self, words: list[str], i: int) -> bool:
        """ "tengo una compañera que llega con moretones": "tengo" presents someone else."""
        return words[i] in _PRESENTING_VERBS and any(
            w in self.relations or w in self.minors for w in words[i + 1 : i + 3]
        )

    def _verb_object(
        self, words: list[str], line: str, relations: list[int], at_work: bool = False
    ) -> Literal["violence", "self_harm"] | None:
        """Verb plus object: "me jala del pelo", "me corto los brazos", "me bota de la casa";
        at work, with nobody close named, not "me quitaron la plata del presupuesto"."""
        found: Literal["violence", "self_harm"] | None = None
        for rule in self.verb_objects:
            verbs = [i for i, w in enumerate(words) if w in rule.forms]
            if not verbs:
                continue
            objects = [line.count(" ", 0, m.start()) for m in rule.objects.finditer(line)]
            for v in verbs:
                if not any(v < o <= v + OBJECT_REACH for o in objects):
                    continue
                close = any(abs(v - r) <= WINDOW for r in relations)
                if close:
                    return "violence"  # "mi esposo me corta los brazos" is not self-harm
                if at_work and rule.kind == "violence" and not rule.at_work_too:
                    continue
                if words[v] in rule.to_me or self._object_before(words, v):
                    found = found or rule.kind
        return found

    def _without_mishaps(self, words: list[str], line: str) -> tuple[list[str], str]:
        """ "me golpeé la rodilla en la escalera", "me quemé con el agua del té": the writer
        did it to herself, a mishap (what she does on purpose is read before, as self-harm).
        Unlike "me golpeo", "me golpeé" cannot be "he hit me", so the verb is left out of the
        violence reading; "que me golpee" (a wish, a fear) is no such past."""
        mishaps = {
            v
            for v, w in enumerate(words)
            if w in self.own_past
            and v > 0
            and words[v - 1] == "me"
            and words[v - 2 : v - 1] not in _NOT_PAST
        }
        if not mishaps:
            return words, line
        words = ["_" if v in mishaps else w for v, w in enumerate(words)]
        return words, " ".join(words)

    def _hurts_herself(self, words: list[str], line: str) -> bool:
        """ "cuando me da la crisis me golpeo la cabeza contra la pared", "me quemé con la
        plancha a propósito", "me pego yo misma": the writer hurts herself and nobody is named
        who does it. Without accents "me golpeo" (I) is "me golpeó" (he): the marks around it
        decide, one of her own doing ("a propósito", "yo misma") or two of the moment and the
        habit ("últimamente", "cuando me da la ansiedad", "contra la pared")."""
        if not (self.own_doing or self.own_moment):
            return False

        def nobody_does_it(v: int) -> bool:
            # "discutimos con mi hermana": someone she quarrels with, not who does it.
            return (
                not any(
                    words[j] in self.people and words[j - 2 : j - 1] != ["con"]
                    for j in range(max(0, v - 6), v - 1)
                )
                and words[v - 2 : v - 1] not in _HE
            )  # "él me empujó contra la pared"

        harmful = [
            v
            for v, w in enumerate(words)
            if w in self.forms or any(w in r.forms for r in self.verb_objects)
        ]
        # "termino rasguñándome los brazos", "empiezo a golpearme": her own act, said so.
        for v in harmful:
            start = words[v - 2 : v - 1] if words[v - 1 : v] == ["a"] else words[v - 1 : v]
            two = " ".join(words[v - 3 : v - 1] if words[v - 1 : v] == ["a"] else words[v - 2 : v])
            if (
                (words[v] in self.to_me or any(words[v] in r.to_me for r in self.verb_objects))
                and (bool(set(start) & self.own_start) or two in self.own_start)
                and nobody_does_it(v)
            ):
                return True
        # "me doy cabezazos", "me di golpes": blows given to oneself.
        harmful += [
            v
            for v, w in enumerate(words[:-1])
            if w in _GIVE_MYSELF and any(_BLOW.search(b) for b in words[v + 1 : v + 3])
        ]
        verbs = [
            v
            for v in harmful
            if v > 0
            and words[v - 1] == "me"
            and words[v].endswith(("o", "e", "i", "oy"))  # "me golpeo", "me quemé", "me di";
            and nobody_does_it(v)  # not "me golpea", "me da" (he)
        ]
        if not verbs:
            return False
        if self.own_doing and any(
            abs(line.count(" ", 0, m.start()) - v) <= WINDOW
            for m in self.own_doing.finditer(line)
            for v in verbs
        ):
            return True
        moments = {m.group(0) for m in self.own_moment.finditer(line)} if self.own_moment else set()
        return len(moments) >= 2

    def _hopeless(self, line: str) -> bool:
        """Hopelessness: "me siento sola y sin salida", "estoy desesperada", "ya no puedo más";
        not something unbearable ("ya no aguanto el calor de la oficina")."""
        if not (self.feeling and self.hopeless):
            return False
        for m in self.hopeless.finditer(line):
            after = line[m.end() :].split()[:1]
            if after and after[0] in _DETERMINERS:
                continue
            before = line[max(0, m.start() - 40) : m.start()]
            if self.feeling.search(before) or m.start() == 0:
                return True
        return False

    def _boss_touches(self, words: list[str], v: int) -> bool:
        """ "el gerente me toca cuando estamos solos": a boss named with an article is a known
        person too, for touching done to the writer; not "el gerente me toca presentar"."""
        if words[v] not in self.with_relation or not self._object_before(words, v):
            return False
        if self._inanimate(words, v) or self._turn(words, v):
            return False
        after = words[v + 1 : v + 1 + OBJECT_REACH]
        # Touch, not a turn or a share ("me toca todo lo del espacio", "nos toca de foncomun"):
        # alone with the writer, or a part of the body.
        touch = any(w in _ALONE for w in after) or bool(
            self.body and self.body.search(" ".join(after))
        )
        return touch and any(
            words[b] in self.bosses and b > 0 and words[b - 1] in _ARTICLES
            for b in range(max(0, v - WINDOW), v)
        )

    def _boss_grabs_me_alone(self, words: list[str]) -> bool:
        """ "el gerente me manda mensajes de noche, me agarra cuando estamos solos": a boss
        named with an article who lays hands on the writer when they are alone, with no body
        part said (as `_boss_touches` for "toca"); not "me agarra la tarde en la oficina"."""
        for v, w in enumerate(words):
            if w not in self.contact_forms or v == 0 or words[v - 1] not in _FIRST_PERSON:
                continue
            if not any(x in _ALONE for x in words[v + 1 : v + 1 + OBJECT_REACH]):
                continue
            if any(
                words[b] in self.bosses and b > 0 and words[b - 1] in _ARTICLES
                for b in range(max(0, v - WINDOW), v)
            ):
                return True
        return False

    def _boss_demands_intimacy(self, words: list[str], line: str) -> bool:
        """ "el gerente me dice que si quiero que me renueven el convenio tengo que quedarme en
        su cuarto": a boss who asks the writer for a night, a room or a bed with him as the
        price of the job (or again and again): sexual coercion. Not "el jefe me dijo que
        tengo que quedarme en la oficina" (a place of work)."""
        if not (self.intimacy and any(w in self.bosses for w in words)):
            return False
        if not self.intimacy.search(line):
            return False
        return bool(self.job_at_stake and self.job_at_stake.search(line)) or bool(
            _AGAIN.search(line)
        )

    def _partner_forces_me(self, words: list[str], line: str) -> bool:
        """ "¿es violación aunque estén casados? le pregunto porque mi conviviente me obliga
        cuando llega borracho": the writer's own partner forces her, in a message that names
        sex: sexual violence against the writer, whatever the talk or the law asked about. Not
        "mi esposo me obliga a ir a la reunión" (no sex named)."""
        if not (self.sex_named and self.sex_named.search(line)):
            return False
        for i in self._own_partners(words):
            if "si" in words[max(0, i - 3) : i - 1]:
                continue  # "si mi esposo me obliga, ¿es violación?": supposed, for a talk
            # Forced, said bare ("me obliga cuando llega borracho"); not "me obliga a ir a la
            # reunión" (a task).
            for j in range(i + 1, min(i + 4, len(words) - 1)):
                if (
                    words[j] == "me"
                    and words[j + 1].startswith(_FORCING)
                    and words[j + 2 : j + 3] not in (["a"], ["que"], ["de"])
                ):
                    return True
        return False

    def _taken_somewhere_lonely(self, line: str) -> bool:
        """ "el regidor la llevó en su carro y terminó en un descampado... solo llora, no
        quiere dar detalles": a woman taken by a man to a lonely place, and her distress after
        it: a probable sexual assault, told by someone who knows her. A trip alone is no
        sign ("la llevó al descampado donde será la feria")."""
        return bool(
            self.lonely_place
            and self.her_distress
            and _TAKEN_HER.search(line)
            and self.lonely_place.search(line)
            and self.her_distress.search(line)
        )

    def _cries_for_help(self, words: list[str], line: str) -> bool:
        """A cry for oneself ("ayudenme", "auxilio", "socorro"), not a request for help with a
        task ("ayudeme con el informe", "ayuda para el taller")."""
        for i, w in enumerate(words):
            if (
                w in self.plea
                and w not in _ASKS_HELP_WITH
                and not _TASK_HELP.match(" " + " ".join(words[i + 1 : i + 2]))
            ):
                return True
        return False

    def _bare_plea(self, words: list[str]) -> bool:
        """A cry for help and nothing else: "ayuda por favor", "ayudaaa", "necesito ayuda"."""
        return any(w in self.plea for w in words) and all(
            w in self.plea or w in self.plea_filler for w in words
        )

    def _inanimate(self, words: list[str], v: int) -> bool:
        """A thing, not a person, next to the verb.

        "me pegaron un sticker", "me mata el trabajo", "este informe me va a matar".
        """
        if any(" ".join(words[v + 1 : v + n]) in _REST for n in (3, 4)):
            return True  # "me voy a tirar a dormir", "me tiro a la cama"
        if words[v].startswith("tir") and " ".join(words[v + 1 : v + 3]) in _TIME_SPENT:
            return True  # "me tiro el día entero en la feria": time spent
        if self._law_touched(words, v):
            return True  # "un colega dice que la ley ya está desfasada, que la han tocado"
        if words[v] in self.with_relation and self._touches_her(words, v):
            return False  # "su tío la toca, la ley dice...": she is touched, the law is no object
        after = v + 1
        if after < len(words) and (words[after] in _DETERMINERS or words[after] == "de"):
            after += 1  # "me pegaron UN sticker", "me mata DE cansancio"
        if after < len(words) and words[after] in self.things:
            return True
        for j in range(v - 1, max(-1, v - 5), -1):  # the subject right before "me"
            if words[j] in _FIRST_PERSON:
                return j >= 1 and words[j - 1] in self.things
        return False

    def _law_touched(self, words: list[str], v: int) -> bool:
        """ "la ley ... la han tocado varias veces": "tocar" a law, named before with nobody
        named since and taken up by the pronoun, is amending it."""
        if not words[v].startswith("toc") or not _IT_CLITICS & set(words[max(0, v - 3) : v]):
            return False
        for i in range(v - 1, max(-1, v - 25), -1):
            # "la ley dice..., y el profesor la tocó": her, not the law; a colleague who
            # says so ("un colega me dice que...") is who speaks.
            # "ya está vieja": said of the law.
            if (
                words[i] in self.people
                and not _REPORTING & set(words[i + 1 : i + 4])
                and words[i - 1 : i] not in (["esta"], ["es"])
            ):
                return False
            if words[i] in _LAWS or (words[i].isdigit() and len(words[i]) == 5):
                return True
        return False

    def _killing_figure(self, words: list[str], v: int) -> bool:
        """ "matar" said of hard work or a nuisance: "nos estamos matando con el informe", "me
        mato trabajando", "me mata el tráfico", "me están matando a preguntas"; not "me mata a
        golpes", "me estoy matando con pastillas", "me mata el borracho"."""
        if not words[v].startswith("mat"):
            return False
        after = [w for w in words[v + 1 : v + 5] if w not in _DETERMINERS]
        if not after:
            return False
        first = after[0]
        # "me mata el tráfico", "me están matando las reuniones", "me mata la cabeza" (a pain):
        # a nuisance now; "me va a matar el..." and "me mató el..." stay threats and deeds.
        det = words[v + 1] if v + 1 < len(words) else ""
        if (
            words[v] in ("mata", "matan", "matando")
            and det in _ARTICLES
            and first not in self.people
            and first not in self.weapons
            and first not in _STOP
            and first not in _WHEN  # "me mata el día que lo deje": a time, the threat stands
        ):
            return True
        if any(w in self.harmful or w.rstrip("s") in self.harmful for w in after[:3]):
            return False
        if _GERUND.search(first) and first not in self.forms and words[v + 1 : v + 2] == [first]:
            # "me mato trabajando", "nos estamos matando haciendo el plan"; not "me mata, está
            # tomando" ("está" read as a determiner is another clause).
            return True
        if first == "para" and len(after) > 1 and after[1] in _WORK_VERBS:
            return True  # "nos estamos matando para cumplir las metas"
        noun = after[1] if len(after) > 1 and first in ("con", "a") else None
        if noun is not None:
            # "con el informe", "a preguntas"; "a golpes" and "con su cuchillo" are no figure.
            return not (
                noun in self.people
                or noun in _STOP
                or noun in self.forms
                or noun.endswith(("aso", "asos"))
                or (first == "a" and noun not in self.things and not noun.endswith("s"))
            )
        return False

    def _bosses_deadline(self, words: list[str], v: int, at_work: bool) -> bool:
        """ "el alcalde nos va a matar si no entregamos", "mi jefa me va a matar, borré el
        archivo", "la gerente me va a ahorcar si no mando el padrón": a boss's "matar" is a
        figure for a deadline or a blunder; a boss who does harm is read by the other verbs
        ("me agarró", "me tiró una silla"), and a partner's "me va a matar si no le doy la
        plata" stays a threat. A boss's threat of a complaint ("me amenaza con que me denuncia
        si no le doy el acta") is a dispute at work, no harm."""
        kills = words[v].startswith(_KILLING)
        # "mi jefe me grita cuando no llega el informe": a boss's shouting about the work.
        shouts = words[v].startswith("grit") and at_work
        sues = words[v].startswith("amenas") and any(
            w.startswith(_COMPLAINTS) for w in words[v + 1 : v + 7]
        )
        if not (self.bosses and (kills or shouts or sues)):
            return False
        # The boss before ("el alcalde nos va a matar"), or after ("nos va a matar el gerente",
        # "me van a matar en la UGEL").
        return any(w in self.bosses for w in words[max(0, v - 6) : v + 4])

    def _only_a_bosses_figure(self, words: list[str], relations: list[int], at_work: bool) -> bool:
        """Every violent word is a boss's figure ("la gerente me va a ahorcar si no mando la
        lista"): the broad reading must not take it for a harm to the writer."""
        violent = [i for i, w in enumerate(words) if w in self.forms]
        return (
            bool(violent)
            and not any(abs(v - r) <= WINDOW for r in relations for v in violent)
            and all(self._bosses_deadline(words, v, at_work) for v in violent)
        )

    def _violence(self, words: list[str], line: str, relations: list[int], at_work: bool) -> bool:
        if self._says_first_person(words, line):
            return True
        # "auxilio", "socorro"; not "auxilio, no sé cómo hacer el plan de trabajo".
        if self.urgency and not at_work:
            for m in self.urgency.finditer(line):
                if not _TASK_HELP.match(line, m.end()):
                    return True
        if self._bare_plea(words):
            return True

        # Positions of the pieces the rules combine.
        violent = [i for i, w in enumerate(words) if w in self.forms]
        if self.multi_forms:
            for m in self.multi_forms.finditer(line):
                violent.append(line.count(" ", 0, m.start()))
        first = [i for i, w in enumerate(words) if w in _FIRST_PERSON]
        if violent and not at_work and self._cries_for_help(words, line):
            return True  # "ayudenme x favor esta rompiendo la puerta"

        for v in violent:
            if words[v] in self.with_relation and (
                self._inanimate(words, v) or self._turn(words, v)
            ):
                continue  # "mi jefe tocó el tema", "me toca a mí presentar"
            if self._named_topic(words, v) or _to_an_animal(words, v):
                continue  # "mi jefe me pidió el informe de casos de abuso"
            family = any(abs(v - r) <= WINDOW and words[r] not in self.bosses for r in relations)
            if not family and self._bosses_deadline(words, v, at_work):
                continue  # "mi jefe me va a matar si no entrego el informe"
            # "mi esposo ... pega", "golpean a mi vecina", "mi padrastro me toca".
            if any(abs(v - r) <= WINDOW for r in relations):
                return True
            if self._boss_touches(words, v):
                return True
            if (
                words[v] in self.with_relation
                or self._inanimate(words, v)
                or self._killing_figure(words, v)
                or self._jump_over_a_task(words[v + 1 : v + 7])
            ):
                continue
            # "me van a matar si no lo presento" (at work): a figure of speech.
            if at_work and words[v + 1 : v + 3] == ["si", "no"]:
                continue
            if _thing_to_me(words, v):
                continue  # "al final me la querían tirar a mí": the task, dumped on the writer
            # "me pega", "nos quiere matar", "me esta golpeando", "quiere matarme".
            if words[v] in self.to_me or self._object_before(words, v):
                return True
            # "abusaron de mi", "le pego a mi" (and nothing that makes "mi" a possessive).
            if self._to_me(words, v):
                return True
            # "fui violada", "he sido golpeada".
            if self._passive_first_person(words, v):
                return True
            # "están golpeando a una señora", "un hombre pegándole a una mujer", violence
            # "ahorita"; unless hypothetical ("si están agrediendo a alguien, ¿a quién llamo?").
            if (self._ongoing(words, v) or self._now_near(words, v)) and not (
                self._hypothetical_before(words, v)
            ):
                return True

        if self._boss_grabs_me_alone(words):
            return True
        # "me dieron una soga para la actividad": a thing handed at work, unless it touches the
        # body ("me puso un cuchillo en el cuello").
        # "me quedé mirando la soga de la carpa": a thing of harmless use, no weapon.
        if any(
            w in self.weapons and not self.signals.harmless_kind(" ".join(words[i + 1 : i + 4]), 0)
            for i, w in enumerate(words)
        ) and (
            relations
            or (first and (not at_work or bool(self.body and self.body.search(line))))
            or "mi casa" in line
        ):
            return True
        # "tengo moretones", "mi esposo me dejó moretones"; not "¿los moretones son violencia?".
        if self.injuries:
            for m in self.injuries.finditer(line):
                pos = line.count(" ", 0, m.start())
                near = words[max(0, pos - WINDOW) : pos + 3]
                if any(
                    w in _HURT_MARKS and not self._reports(words, max(0, pos - WINDOW) + i)
                    for i, w in enumerate(near)
                ) or any(abs(pos - r) <= WINDOW for r in relations):
                    return True
        if self._abusive_pregnancy(words, line):
            return True
        if self.presence:
            for m in self._presences(line):
                pos = line.count(" ", 0, m.start())
                if m.group(0).startswith(("me ", "nos ")) or any(
                    0 <= pos - r <= WINDOW for r in relations
                ):
                    return True
        return False

    def _abusive_pregnancy(self, words: list[str], line: str) -> bool:
        """Pregnancy that reveals abuse: "embarazada de su padrastro", or at 14 or younger
        (not "si una niña de 13 está embarazada, ¿es violencia sexual?": the law asked)."""
        pregnant = {i for i, w in enumerate(words) if w.startswith("embarasad")}
        if self.pregnant:  # "está gestando", "salió en estado"
            pregnant |= {line.count(" ", 0, m.start()) for m in self.pregnant.finditer(line)}
        for i in sorted(pregnant):
            if self._bare_plural(words, i) or (
                words[i].endswith("s") and not any(w in _DETERMINERS for w in words[i - 3 : i])
            ):
                continue  # "cuántas niñas salieron embarazadas": figures, not a case
            if any(x in self.pregnancy_by for x in words[i + 1 : i + 1 + OBJECT_REACH]):
                return True
            if any(age <= CHILD_AGE_LIMIT for age in self._ages(words)) and not (
                self._hypothetical_before(words, i)
            ):
                return True
        return False

    def _figurative(self, line: str, match: re.Match[str]) -> bool:
        """A death phrase as a figure of speech: "me mato de cansancio", "me muero de risa",
        "quisiera desaparecer este formato", "mejor no estar en la reunion"."""
        after = line[match.end() :].split()[:3]
        if not after:
            return False
        # "me muero de risa", "me quiero morir de la vergüenza".
        thing = after[2 if after[1:2] and after[1] in _ARTICLES else 1 :][:1]
        if after[0] in ("de", "del") and thing and thing[0] in self.things:
            return True
        if self._killing_figure(line.split(), line.count(" ", 0, match.end())):
            return True  # "me mato trabajando", "me mato con este informe"
        # "me voy a cortar el pelo", "me voy a tirar a dormir": the hair, a nap.
        if any(" ".join(after[:n]) in _REST for n in (2, 3)) or any(
            w in _HAIR_AND_NAILS for w in after
        ):
            return True
        last = match.group(0).rsplit(" ", 1)[-1]
        if after[:2] == ["de", "nuebo"]:
            return False  # "ya no me van a ver de nuevo": again, nowhere (folded)
        if last in _SEEN_ENDINGS:
            # Not seen somewhere, like not being there ("en la sesión", "en el taller"); "en
            # esta vida", "en este mundo" is nowhere any more.
            content = [w for w in after if w not in _DETERMINERS and w not in _STATE_AFTER]
            return (after[0] in _DETERMINERS or after[0] in _STATE_AFTER) and not (
                content and content[0] in _EXISTENCE
            )
        return last in _INTRANSITIVE_ENDINGS and (
            after[0] in _DETERMINERS or after[0] in _STATE_AFTER  # "no estar a cargo"
        )

    def _object_before(self, words: list[str], v: int) -> bool:
        """Is "me"/"nos" right before the verb, possibly with an auxiliary in between?"""
        if v >= 1 and words[v - 1] in _FIRST_PERSON:
            return True
        before = " ".join(words[max(0, v - 6) : v])
        for aux in self.aux:
            for person in _FIRST_PERSON:
                if before.endswith(f"{person} {aux}") or before.endswith(f"{person} {aux} a"):
                    return True
        # "me dio un golpe", "me quiere volver a pegar": "me" two or three words before; not
        # "me preguntó si quitarle el sueldo..." (a new clause, and the verb says "le").
        window = words[max(0, v - 3) : v]
        if "me" not in window or any(w in _POSSESSIVES for w in window):
            return False
        after_me = window[len(window) - window[::-1].index("me") :]
        return not any(w in _SUBORDINATORS for w in after_me) and not _THEIR_CLITIC.search(words[v])

    @staticmethod
    def _to_me(words: list[str], v: int) -> bool:
        for j in range(v + 1, min(v + 4, len(words) - 1)):
            if words[j] in ("de", "a") and words[j + 1] == "mi":
                after = words[j + 2] if j + 2 < len(words) else None
                return after is None or after in _AFTER_SELF
        return False

    def _passive_first_person(self, words: list[str], v: int) -> bool:
        if not self.passive_aux or not words[v].endswith(("ada", "ado", "adas", "ados", "ida")):
            return False
        before = " ".join(words[max(0, v - 4) : v])
        return bool(self.passive_aux.search(before))

    @staticmethod
    def _ongoing(words: list[str], v: int) -> bool:
        """A gerund ("golpeando", "pegándole"), or a participle after "está(n)"/"siendo"."""
        word = words[v]
        if _GERUND.search(word):
            return True
        if not _PARTICIPLE.search(word):
            return False
        return any(x in _PROGRESSIVE or x == "siendo" for x in words[max(0, v - 3) : v])

    def _now_near(self, words: list[str], v: int) -> bool:
        if not self.now:
            return False
        near = " ".join(words[max(0, v - WINDOW) : v + WINDOW + 1])
        return bool(self.now.search(near))

    def _hypothetical_before(self, words: list[str], v: int) -> bool:
        if not self.hypothetical:
            return False
        before = " ".join(words[max(0, v - HYPOTHETICAL_WINDOW) : v])
        return bool(self.hypothetical.search(before))


def _thing_to_me(words: list[str], v: int) -> bool:
    """ "me la querían tirar a mí", "me lo tiraron encima": "la"/"lo" is what is thrown or
    passed, "me" only who gets it (a job dumped on the writer). Killing keeps the alarm ("me
    lo mataron": someone of hers)."""
    window = words[max(0, v - 3) : v]
    return not words[v].startswith("mat") and any(
        w == "me" and window[i + 1 : i + 2] and window[i + 1] in _IT_CLITICS
        for i, w in enumerate(window)
    )


def _busy(word: str) -> bool:
    """A gerund of a task ("instalando", "arreglando"); not staring, brooding, crying or
    waiting, which keep the alarm."""
    return word.endswith(("ando", "iendo", "yendo")) and word not in _NOT_BUSY


def _online(after: list[str]) -> bool:
    """ "me sigue en facebook": a follower on a social network, not on the street."""
    return after[:1] == ["en"] and after[1:2] != [] and after[1] in _SOCIAL


def _to_an_animal(words: list[str], v: int) -> bool:
    """ "un vecino que le pega a su perro": the blow falls on an animal."""
    after = words[v + 1 : v + 4]
    return any(w in _ANIMALS for w in after) and any(w in ("a", "al") for w in after)


@lru_cache(maxsize=1)
def packaged_model() -> CrisisModel:
    """bot/crisis_model.json, read once per process."""
    return CrisisModel.load()


@lru_cache(maxsize=1)
def _default_detector() -> CrisisDetector:
    return CrisisDetector(default_language())


def detect_crisis(text: str, detector: CrisisDetector | None = None) -> Crisis | None:
    """Crisis in `text`, using knowledge/lenguaje.yaml unless a detector is given."""
    return (detector or _default_detector()).detect(text)
