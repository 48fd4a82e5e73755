"""Clusters, units and user accounts."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .types import UTCDateTime, sql_in, utcnow

ROLES = ("unit_editor", "unit_head", "reviewer", "secretariat", "admin")
UNIT_ROLES = ("unit_editor", "unit_head")
MAX_HEADCOUNT = 100_000


class Cluster(db.Model):
    """An emulation cluster (cụm/khối thi đua): units ranked against each other."""

    __tablename__ = "clusters"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    units: Mapped[list["Unit"]] = relationship(back_populates="cluster", order_by="Unit.code")

    __table_args__ = (CheckConstraint("length(code) > 0", name="code_not_empty"),)


class Unit(db.Model):
    """An agency, department or office (đơn vị)."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Staff count: a collective title's condition on its members' share needs it.
    headcount: Mapped[int | None]
    cluster: Mapped[Cluster | None] = relationship(back_populates="units")

    __table_args__ = (
        CheckConstraint("length(code) > 0", name="code_not_empty"),
        CheckConstraint(
            f"headcount IS NULL OR headcount BETWEEN 1 AND {MAX_HEADCOUNT}", name="headcount_sane"
        ),
    )


class User(UserMixin, db.Model):
    """A person who logs in; unit roles belong to exactly one unit."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Security (emulation/security): raising session_version ends every session of the user.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A password someone else set (a reset): nothing but changing it is reachable until then.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    password_reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        CheckConstraint(sql_in("role", ROLES), name="role_known"),
        CheckConstraint(
            f"NOT ({sql_in('role', UNIT_ROLES)}) OR unit_id IS NOT NULL", name="unit_role_has_unit"
        ),
        CheckConstraint("length(username) > 0", name="username_not_empty"),
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password`."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """The token of this sign-in (see security.sessions); nothing loads without one."""
        return getattr(self, "login_token", None) or f"{self.id}:no-login"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_unit_user(self) -> bool:
        """Whether the account acts for one unit (editor or head)."""
        return self.role in UNIT_ROLES

    def can_see_unit(self, unit: Unit) -> bool:
        """Unit users see their own unit only; council and secretariat see all."""
        if self.is_unit_user:
            return self.unit_id == unit.id
        return True
