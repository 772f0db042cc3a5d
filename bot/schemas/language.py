"""knowledge/lenguaje.yaml: how people write (abbreviations, acronyms, synonyms, small talk,
filler words) and the crisis word lists. Read with `as_written=True`: every word is text.

Checks that need the normalised words (one word per abbreviation, a variant given to two
synonyms) run in bot.textnorm.load_language, which reports through the same reporter.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


# A list of words; a single word may be written without the brackets.
Words = Annotated[list[Text], BeforeValidator(_one_or_many)]
_WORDS = "una lista de palabras o frases, una por línea con '- '"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CrisisLists(_Model):
    """The lists bot/safety.py combines; their meaning is documented there and in the file."""

    relaciones: Words = Field([], description=_WORDS)
    verbos_ar: Words = Field([], description=_WORDS)
    verbos_er_ir: Words = Field([], description=_WORDS)
    formas_violentas: Words = Field([], description=_WORDS)
    formas_con_relacion: Words = Field([], description=_WORDS)
    auxiliares: Words = Field([], description=_WORDS)
    primera_persona: Words = Field([], description=_WORDS)
    pasiva_primera_persona: Words = Field([], description=_WORDS)
    urgencia: Words = Field([], description=_WORDS)
    armas: Words = Field([], description=_WORDS)
    miedo: Words = Field([], description=_WORDS)
    presencia: Words = Field([], description=_WORDS)
    hipotetico: Words = Field([], description=_WORDS)
    autolesion: Words = Field([], description=_WORDS)
    verbos_contacto: Words = Field([], description=_WORDS)
    partes_cuerpo: Words = Field([], description=_WORDS)
    cabello: Words = Field([], description=_WORDS)
    verbos_autolesion: Words = Field([], description=_WORDS)
    autolesion_propia: Words = Field([], description=_WORDS)
    autolesion_momento: Words = Field([], description=_WORDS)
    autolesion_inicio: Words = Field([], description=_WORDS)
    autolesion_objetos: Words = Field([], description=_WORDS)
    verbos_expulsion: Words = Field([], description=_WORDS)
    lugares_expulsion: Words = Field([], description=_WORDS)
    verbos_despojo: Words = Field([], description=_WORDS)
    bienes: Words = Field([], description=_WORDS)
    verbos_coaccion: Words = Field([], description=_WORDS)
    actos_coaccion: Words = Field([], description=_WORDS)
    lesiones: Words = Field([], description=_WORDS)
    embarazo_por: Words = Field([], description=_WORDS)
    sentir: Words = Field([], description=_WORDS)
    desesperanza: Words = Field([], description=_WORDS)
    suplica: Words = Field([], description=_WORDS)
    suplica_relleno: Words = Field([], description=_WORDS)
    temas_de_trabajo: Words = Field([], description=_WORDS)
    objetos_no_violentos: Words = Field([], description=_WORDS)
    jefes: Words = Field([], description=_WORDS)
    tercera_persona: Words = Field([], description=_WORDS)
    relato: Words = Field([], description=_WORDS)
    menores: Words = Field([], description=_WORDS)
    parejas: Words = Field([], description=_WORDS)
    intencion_propia: Words = Field([], description=_WORDS)
    intencion_ajena: Words = Field([], description=_WORDS)
    verbos_suicidio: Words = Field([], description=_WORDS)
    deseo_de_muerte: Words = Field([], description=_WORDS)
    muerte_propia: Words = Field([], description=_WORDS)
    medios_autolesion: Words = Field([], description=_WORDS)
    tener_medios: Words = Field([], description=_WORDS)
    llegada: Words = Field([], description=_WORDS)
    deseo_pasivo: Words = Field([], description=_WORDS)
    no_existir: Words = Field([], description=_WORDS)
    sin_sentido: Words = Field([], description=_WORDS)
    sin_sentido_cierre: Words = Field([], description=_WORDS)
    senales_oidas: Words = Field([], description=_WORDS)
    medios_a_mano: Words = Field([], description=_WORDS)
    adios: Words = Field([], description=_WORDS)
    ya_no_estar: Words = Field([], description=_WORDS)
    recado: Words = Field([], description=_WORDS)
    medio_inofensivo: Words = Field([], description=_WORDS)
    medio_recetado: Words = Field([], description=_WORDS)
    noche_pedida: Words = Field([], description=_WORDS)
    lugar_intimo: Words = Field([], description=_WORDS)
    noche_con_el: Words = Field([], description=_WORDS)
    puesto_en_juego: Words = Field([], description=_WORDS)
    sexo_nombrado: Words = Field([], description=_WORDS)
    negativa: Words = Field([], description=_WORDS)
    reemplazo: Words = Field([], description=_WORDS)
    adios_de_cortesia: Words = Field([], description=_WORDS)
    lugar_solitario: Words = Field([], description=_WORDS)
    angustia_despues: Words = Field([], description=_WORDS)
    motivo_de_ausencia: Words = Field([], description=_WORDS)
    trato_insinuado: Words = Field([], description=_WORDS)
    casa_insinuada: Words = Field([], description=_WORDS)
    necesidad_propia: Words = Field([], description=_WORDS)
    amor_pasado: Words = Field([], description=_WORDS)
    desorientacion: Words = Field([], description=_WORDS)
    despedida: Words = Field([], description=_WORDS)
    medios_listos: Words = Field([], description=_WORDS)
    saltar: Words = Field([], description=_WORDS)
    alturas: Words = Field([], description=_WORDS)
    acecho: Words = Field([], description=_WORDS)
    acecho_plantado: Words = Field([], description=_WORDS)
    acecho_lugar: Words = Field([], description=_WORDS)
    senales_menor: Words = Field([], description=_WORDS)
    senal_ausencia: Words = Field([], description=_WORDS)
    senal_tiempo_largo: Words = Field([], description=_WORDS)
    senal_hambre: Words = Field([], description=_WORDS)
    trata_de_menores: Words = Field([], description=_WORDS)
    autolesion_referida: Words = Field([], description=_WORDS)
    senal_caso: Words = Field([], description=_WORDS)
    adultos_mayores: Words = Field([], description=_WORDS)
    embarazo: Words = Field([], description=_WORDS)
    marco_de_tema: Words = Field([], description=_WORDS)
    senal_persona: Words = Field([], description=_WORDS)
    senal_persona_generica: Words = Field([], description=_WORDS)
    senal_relato: Words = Field([], description=_WORDS)
    senal_desaparicion: Words = Field([], description=_WORDS)
    senal_sin_noticias: Words = Field([], description=_WORDS)
    senal_escondida: Words = Field([], description=_WORDS)
    senal_mal_presagio: Words = Field([], description=_WORDS)
    senal_agresor_libre: Words = Field([], description=_WORDS)
    senal_ira_a_buscarla: Words = Field([], description=_WORDS)
    senal_cosa: Words = Field([], description=_WORDS)
    senal_intemperie: Words = Field([], description=_WORDS)
    saltos_de_ocio: Words = Field([], description=_WORDS)
    senal_dano: Words = Field([], description=_WORDS)
    senal_dano_propio: Words = Field([], description=_WORDS)
    senal_lesion: Words = Field([], description=_WORDS)
    senal_no_golpe: Words = Field([], description=_WORDS)
    senal_dano_nombrado: Words = Field([], description=_WORDS)
    senal_clases_de_caso: Words = Field([], description=_WORDS)
    senal_cobertura: Words = Field([], description=_WORDS)
    senal_plazo: Words = Field([], description=_WORDS)
    senal_quien_denuncia: Words = Field([], description=_WORDS)
    senal_peligro_vigente: Words = Field([], description=_WORDS)
    senal_tema: Words = Field([], description=_WORDS)
    senal_institucion: Words = Field([], description=_WORDS)
    senal_modal: Words = Field([], description=_WORDS)
    senal_hipotesis: Words = Field([], description=_WORDS)
    senal_difusion: Words = Field([], description=_WORDS)
    senal_caso_supuesto: Words = Field([], description=_WORDS)
    reaccion_de_miedo: Words = Field([], description=_WORDS)
    senal_cosa_de_trabajo: Words = Field([], description=_WORDS)
    senal_evento: Words = Field([], description=_WORDS)
    senal_deseo_no_sigue: Words = Field([], description=_WORDS)
    senal_pedido: Words = Field([], description=_WORDS)
    senal_ahora: Words = Field([], description=_WORDS)
    senal_deseo_de_muerte: Words = Field([], description=_WORDS)
    senal_marco_de_deseo: Words = Field([], description=_WORDS)
    senal_fin: Words = Field([], description=_WORDS)
    senal_alguien: Words = Field([], description=_WORDS)
    senal_primera_persona: Words = Field([], description=_WORDS)
    escritor_en_peligro: Words = Field([], description=_WORDS)
    menores_escolares: Words = Field([], description=_WORDS)
    grado_escolar: Words = Field([], description=_WORDS)
    momento_fijado: Words = Field([], description=_WORDS)
    mirar_medio: Words = Field([], description=_WORDS)
    lugares_para_acabar: Words = Field([], description=_WORDS)
    cavilar: Words = Field([], description=_WORDS)
    revelacion_propia: Words = Field([], description=_WORDS)


class ContextLists(_Model):
    """How a long message wraps its question (bot/matching.py)."""

    presentacion: Words = Field([], description=_WORDS)  # clauses that only present the writer
    pedido: Words = Field([], description=_WORDS)  # phrases that open the question itself


class LanguageFile(_Model):
    abreviaturas: dict[Text, Text] = Field(
        {}, description="escriba abreviatura: significado, como 'xq: porque'"
    )
    siglas: dict[Text, Text] = Field({}, description="escriba sigla: significado")
    sinonimos: dict[Text, Words] = Field({}, description="escriba palabra: [variante, variante]")
    charla: dict[Text, Words] = Field({}, description="escriba tipo: [frase, frase]")
    relleno: Words = Field([], description=_WORDS)
    contexto: ContextLists = Field(
        ContextLists(), description="escriba presentacion: [frase, ...] y pedido: [frase, ...]"
    )
    crisis: CrisisLists = Field(CrisisLists(), description="escriba lista: [palabra, palabra]")
    otros_temas: Words = Field([], description=_WORDS)


CRISIS_KEYS = tuple(CrisisLists.model_fields)
SECTIONS = tuple(LanguageFile.model_fields)
