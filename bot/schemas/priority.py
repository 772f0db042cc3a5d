"""knowledge/prioridad.yaml: the criteria that rank instancias for technical assistance."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Model):
    activo: bool = Field(True, description="escriba true para usarlo o false para dejarlo fuera")
    peso: int = Field(ge=0, le=100, description="un número entero de 0 a 100")
    etiqueta: Text = Field(description="lo que se muestra como motivo, entre comillas")


class NoContact(Criterion):
    meses: int = Field(ge=1, le=60, description="cuántos meses sin asistencia técnica: 1 a 60")


class Criteria(_Model):
    """One key per criterion the bot knows how to compute (bot/priority.py)."""

    sin_reporte: Criterion = Field(description="copie el criterio del archivo original")
    sin_ordenanza: Criterion = Field(description="copie el criterio del archivo original")
    creada_no_instalada: Criterion = Field(description="copie el criterio del archivo original")
    sin_sesiones: Criterion = Field(description="copie el criterio del archivo original")
    observacion_sin_responder: Criterion = Field(
        description="copie el criterio del archivo original"
    )
    pide_asistencia: Criterion = Field(description="copie el criterio del archivo original")
    sin_contacto: NoContact = Field(description="copie el criterio del archivo original")


class PriorityFile(_Model):
    aviso: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        description="el aviso que se muestra en la página Prioridad, entre comillas"
    )
    criterios: Criteria = Field(description="la lista de criterios del archivo original")

    @model_validator(mode="after")
    def _some_weight(self) -> PriorityFile:
        if not any(c.activo and c.peso > 0 for _, c in self.criterios):
            raise ValueError("ningún criterio está activo con peso mayor que 0; active uno")
        return self


CRITERIA = tuple(Criteria.model_fields)
