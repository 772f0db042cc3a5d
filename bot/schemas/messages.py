"""knowledge/mensajes.yaml: every text the bot sends; the sections bot/ reads by name."""

from __future__ import annotations

import string
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

_FIX = "escriba el texto entre comillas"


def placeholders(text: str) -> set[str]:
    """The {names} the bot fills in; ValueError (in Spanish) if a brace is left open."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise ValueError(
            "tiene una llave { o } sin pareja; cada {nombre} va entre dos llaves"
        ) from None


def _only(text: str, allowed: set[str]) -> str:
    unknown = sorted(placeholders(text) - allowed)
    if unknown:
        names = ", ".join(f"{{{n}}}" for n in unknown)
        can = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "ninguno"
        raise ValueError(f"usa {names}, que el bot no completa aquí; puede usar: {can}")
    return text


class _Texts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # field -> the {names} the bot fills in; a field not listed gets none.
    PLACEHOLDERS: ClassVar[dict[str, set[str]]] = {}

    @field_validator("*")
    @classmethod
    def _placeholders(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            _only(value, cls.PLACEHOLDERS.get(info.field_name or "", set()))
        return value


class SurveyTexts(_Texts):
    """What an officer is told while answering the survey (bot/survey.py)."""

    PLACEHOLDERS: ClassVar[dict[str, set[str]]] = {
        "opcion": {"opciones"}, "multiple_vacio": {"opciones"},
        "multiple_desconocida": {"texto", "opciones"}, "entero": {"ejemplo"},
        "entero_decimal": {"ejemplo"}, "fecha": {"ejemplo"},
        "fecha_imposible": {"texto", "ejemplo"}, "texto_largo": {"largo", "maximo"},
        "archivo_grande": {"mb"}, "ejemplo_es": {"ejemplo"}, "fecha_futura": {"texto"},
        "fecha_antes_ley": {"texto", "ley"},
    }  # fmt: skip

    si: str = Field(description=_FIX)
    no: str = Field(description=_FIX)
    sin_respuesta: str = Field(description="lo que se muestra cuando se omitió la respuesta")
    archivo_adjunto: str = Field(description=_FIX)
    ejemplo_entero: str = Field(description="un número de ejemplo, como \"4\"")
    ejemplo_fecha: str = Field(description="una fecha de ejemplo, como \"15/03/2024\"")
    si_no: str = Field(description=_FIX)
    opcion: str = Field(description="use {opciones} donde van las opciones")
    multiple_vacio: str = Field(description="use {opciones} donde van las opciones")
    multiple_desconocida: str = Field(description="use {texto} y {opciones}")
    entero: str = Field(description="use {ejemplo} donde va el ejemplo")
    entero_decimal: str = Field(description="use {ejemplo} donde va el ejemplo")
    fecha: str = Field(description="use {ejemplo} donde va el ejemplo")
    fecha_imposible: str = Field(description="use {texto} y {ejemplo}")
    texto_vacio: str = Field(description=_FIX)
    texto_largo: str = Field(description="use {largo} y {maximo}")
    archivo_falta: str = Field(description=_FIX)
    archivo_tipo: str = Field(description=_FIX)
    archivo_grande: str = Field(description="use {mb} donde va el tamaño")
    requerido: str = Field(description=_FIX)
    ejemplo_es: str = Field(description="use {ejemplo} donde va el ejemplo")
    texto_palabras: str = Field(description=_FIX)
    texto_norma: str = Field(description=_FIX)
    fecha_futura: str = Field(description="use {texto} donde va la fecha escrita")
    fecha_antes_ley: str = Field(description="use {texto} y {ley}")


class SourceTexts(_Texts):
    """The sources line under every answer (bot/knowledge.py format_answer)."""

    una: str = Field(description="la palabra antes de una sola fuente, como \"Fuente\"")
    varias: str = Field(description="la palabra antes de varias fuentes, como \"Fuentes\"")
    numeracion_ley: str = Field(description=_FIX)
    numeracion_tuo: str = Field(description=_FIX)
    numeracion_reglamento: str = Field(description=_FIX)
    verificado: str = Field(description=_FIX)
    secundaria: str = Field(description=_FIX)
    parcial: str = Field(description=_FIX)


class ExportTexts(_Texts):
    """Sheet names and column headers of the staff exports (bot/exports.py)."""

    PLACEHOLDERS: ClassVar[dict[str, set[str]]] = {"nombre_instancia": {"nivel", "lugar"}}

    ubigeo: str = Field(description=_FIX)
    periodo: str = Field(description=_FIX)
    telefono: str = Field(description=_FIX)
    hoja_documentos: str = Field(max_length=31, description="hasta 31 caracteres (Excel)")
    numero: str = Field(description="el encabezado del número de sesión, como \"N°\"")
    pregunta: str = Field(description=_FIX)
    archivo: str = Field(description=_FIX)
    tipo_archivo: str = Field(description=_FIX)
    tamano_kb: str = Field(description=_FIX)
    referencia: str = Field(description=_FIX)
    enlace_consola: str = Field(description=_FIX)
    region: str = Field(description=_FIX)
    departamento: str = Field(description=_FIX)
    provincia: str = Field(description=_FIX)
    distrito: str = Field(description=_FIX)
    nivel: str = Field(description=_FIX)
    instancia: str = Field(description=_FIX)
    punto_focal: str = Field(description=_FIX)
    cargo: str = Field(description=_FIX)
    fecha_envio: str = Field(description=_FIX)
    version_encuesta: str = Field(description=_FIX)
    estado_revision: str = Field(description=_FIX)
    vigente: str = Field(description=_FIX)
    si: str = Field(description=_FIX)
    no: str = Field(description=_FIX)
    datos_borrados: str = Field(description=_FIX)
    nombre_instancia: str = Field(description="use {nivel} y {lugar}")
    hoja_vigentes: str = Field(max_length=31, description="hasta 31 caracteres (Excel)")
    hoja_historial: str = Field(max_length=31, description="hasta 31 caracteres (Excel)")
    hoja_pendientes: str = Field(max_length=31, description="hasta 31 caracteres (Excel)")
    puntos_focales: str = Field(description=_FIX)
    nombres: str = Field(description=_FIX)
    estado: str = Field(description=_FIX)
    ultima_actividad: str = Field(description=_FIX)
    hoja_sin_respuesta: str = Field(max_length=31, description="hasta 31 caracteres (Excel)")
    pregunta_normalizada: str = Field(description=_FIX)
    veces: str = Field(description=_FIX)
    ultima_vez: str = Field(description=_FIX)
    hoja_no_utiles: str = Field(max_length=31, description="hasta 31 caracteres (Excel)")
    entrada: str = Field(description=_FIX)
    titulo: str = Field(description=_FIX)
    no_me_sirvio: str = Field(description=_FIX)
    util: str = Field(description=_FIX)
    ultimo_no: str = Field(description=_FIX)


_SHORT = "hasta 4 letras: es el encabezado de una columna en el celular"


class ChartTexts(_Texts):
    """The /resumen table and chart (bot/stats.py): a short header and a name per step."""

    PLACEHOLDERS: ClassVar[dict[str, set[str]]] = {"grafico_pasos": {"total"}}

    region: str = Field(description=_FIX)
    nivel_region: str = Field(max_length=12, description="hasta 12 letras: primera columna")
    total: str = Field(description=_FIX)
    registradas_corto: str = Field(max_length=4, description=_SHORT)
    registradas: str = Field(description=_FIX)
    reportaron_corto: str = Field(max_length=4, description=_SHORT)
    reportaron: str = Field(description=_FIX)
    creada_corto: str = Field(max_length=4, description=_SHORT)
    creada: str = Field(description=_FIX)
    instalada_corto: str = Field(max_length=4, description=_SHORT)
    instalada: str = Field(description=_FIX)
    reglamento_corto: str = Field(max_length=4, description=_SHORT)
    reglamento: str = Field(description=_FIX)
    plan_corto: str = Field(max_length=4, description=_SHORT)
    plan: str = Field(description=_FIX)
    sesiones_corto: str = Field(max_length=4, description=_SHORT)
    sesiones: str = Field(description=_FIX)
    metas_corto: str = Field(max_length=4, description=_SHORT)
    metas: str = Field(description=_FIX)
    grafico_pasos: str = Field(description="use {total} donde va el número de instancias")
    grafico_eje: str = Field(description=_FIX)
    grafico_regiones: str = Field(description=_FIX)


def _text_or_group(value: Any) -> Any:
    if isinstance(value, str):
        placeholders(value)
        return value
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        for text in value.values():
            placeholders(text)
        return {str(k): v for k, v in value.items()}
    raise ValueError(
        "debe ser un texto, o un grupo de textos (clave: \"texto\"); ponga el texto entre comillas"
    )


_TextOrGroup = Annotated[Any, AfterValidator(_text_or_group)]


class MessagesFile(BaseModel):
    """The whole file: the sections above, and any other key -> a text or a group of texts."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, _TextOrGroup] = Field(init=False)

    encuesta: SurveyTexts = Field(description="copie la sección 'encuesta' del archivo original")
    fuentes: SourceTexts = Field(description="copie la sección 'fuentes' del archivo original")
    exportes: ExportTexts = Field(description="copie la sección 'exportes' del archivo original")
    resumen_cuadro: ChartTexts = Field(
        description="copie la sección 'resumen_cuadro' del archivo original"
    )
    periodo_s1: Annotated[str, AfterValidator(lambda t: _only(t, {"anio"}))] = Field(
        description="use {anio} donde va el año"
    )
    periodo_s2: Annotated[str, AfterValidator(lambda t: _only(t, {"anio"}))] = Field(
        description="use {anio} donde va el año"
    )
