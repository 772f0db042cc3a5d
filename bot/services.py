"""Everything a handler needs, built once at start from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.answers import Answerer
from bot.config import ConfigError, Settings
from bot.knowledge import KnowledgeError
from bot.messages import Messages, MessagesError
from bot.periods import open_periods, period_of
from bot.places import PlaceIndex
from bot.priority import check_priority, load_priority
from bot.schemas.priority import PriorityFile
from bot.storage.db import AlreadyRunning, Database
from bot.storage.files import private_dir
from bot.storage.officers import sync_places
from bot.storage.staff import audit, is_staff_member
from bot.survey import Survey, SurveyError, load_survey
from bot.textnorm import LanguageError


@dataclass
class Services:
    settings: Settings
    db: Database
    places: PlaceIndex
    messages: Messages
    answers: Answerer
    survey: Survey
    priority: PriorityFile | None = None  # knowledge/prioridad.yaml (bot/priority.py)

    def reload(self) -> list[str]:
        """/recargar: knowledge base, language, messages, survey and the priority criteria as
        the files are now.

        All are swapped in together, and only if every file loads cleanly; on any problem the
        previous versions keep serving and the problems (file:line, Spanish) are returned.
        """
        kdir = self.settings.knowledge_dir
        problems: list[str] = []
        messages = self.messages
        try:
            messages = Messages.load(kdir / "mensajes.yaml")
        except MessagesError as exc:
            problems += [str(p) for p in exc.problems]
        loaded = None
        try:
            loaded = self.answers.load(messages)
        except KnowledgeError as exc:
            problems += [str(p) for p in exc.problems]
        except LanguageError as exc:
            problems += [str(p) for p in exc.problems]
        kb = loaded[0] if loaded else self.answers.kb
        try:
            survey = load_survey(kdir / "encuesta.yaml", set(kb.entries), messages)
        except SurveyError as exc:
            problems += [str(p) for p in exc.problems]
        priority, found = check_priority(kdir / "prioridad.yaml")
        problems += [str(p) for p in found]
        if problems or loaded is None:
            return problems
        self.priority = priority
        self.messages = messages
        self.answers.messages = messages
        self.answers.install(loaded)
        self.survey = survey
        return []

    def is_admin(self, user_id: int | None) -> bool:
        """Admins come from the configuration: they can add and remove staff."""
        return user_id is not None and user_id in self.settings.admins

    def is_staff(self, user_id: int | None) -> bool:
        """Admins, plus the staff an admin added in the bot. Checked on every staff action."""
        if user_id is None:
            return False
        if self.is_admin(user_id):
            return True
        with self.db.session() as s:
            return is_staff_member(s, user_id)

    def audit(self, actor_id: int, action: str, detail: str = "") -> None:
        with self.db.session() as s:
            audit(s, actor_id, action, detail, self.now())

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        """Today in the configured time zone: the day officers live in."""
        return self.now().astimezone(self.settings.tz).date()

    def period(self) -> str:
        """The report period open today (a semester, e.g. 2026-S2)."""
        return period_of(self.today())

    def open_periods(self) -> tuple[str, ...]:
        """The semesters that can be reported today, current first (bot/periods.py)."""
        return open_periods(self.today(), self.settings.closing_dates)

    def local_date(self, moment: datetime) -> str:
        """dd/mm/aaaa in the configured time zone (America/Lima by default)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.settings.tz).strftime("%d/%m/%Y")


def build_services(
    settings: Settings, *, migrate: bool = True, single_instance: bool = False
) -> Services:
    """Open the database (migrating it), load the shipped data and sync the places table.

    `single_instance` (the run and webhook commands): first claim the one-bot-per-database
    lock, so a second copy started by mistake stops with one line (ConfigError) instead of
    answering everything twice."""
    kdir = settings.knowledge_dir
    messages = Messages.load(kdir / "mensajes.yaml")
    places = PlaceIndex.load(kdir / "ubigeo.csv")
    answers = Answerer(kdir, messages)
    survey = load_survey(kdir / "encuesta.yaml", set(answers.kb.entries), messages)
    db = Database(settings.database_url)
    if single_instance:
        try:
            db.claim_single_instance()
        except AlreadyRunning as exc:
            db.dispose()
            raise ConfigError(
                f"database.url: another Concerta is already running on this database ({exc}); "
                "stop it first (systemctl stop concerta), or give this one its own database."
            ) from None
    if migrate:
        db.upgrade()
    sync_places(db, places)
    private_dir(settings.files_dir)
    return Services(
        settings=settings,
        db=db,
        places=places,
        messages=messages,
        answers=answers,
        survey=survey,
        priority=load_priority(kdir / "prioridad.yaml"),
    )
