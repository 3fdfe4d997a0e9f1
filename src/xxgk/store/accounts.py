"""Users, passwords (Argon2), API tokens and sessions (only their SHA-256 is
stored), login rate limits kept in the database, and the audit log."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from . import agencies
from .agencies import StoreError
from .models import ROLES, ApiToken, AuditEntry, LoginAttempt, User, now
from .models import Session as WebSession

SESSION_HOURS = 12
# failed logins allowed in WINDOW: per user name, and per client address
WINDOW = timedelta(minutes=15)
MAX_FAILS_USER = 5
MAX_FAILS_CLIENT = 20
ROLE_NAMES = {"admin": "管理员", "supervisor": "监督人员", "clerk": "填报人员"}

_hasher = PasswordHasher()


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(at: datetime) -> datetime:
    """SQLite gives naive datetimes back (stored as UTC)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def by_name(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def add_user(
    session: Session, name: str, role: str, password: str, scope: str | None = None
) -> User:
    name = name.strip()
    if not name:
        raise StoreError("用户名不能为空")
    if role not in ROLES:
        raise StoreError(f"角色“{role}”不对，应为 admin、supervisor 或 clerk")
    if by_name(session, name) is not None:
        raise StoreError(f"用户“{name}”已存在")
    if len(password) < 8:
        raise StoreError("密码至少 8 个字符")
    scope_row = None
    if role != "admin":
        if not scope:
            raise StoreError(f"{ROLE_NAMES[role]}需要用 --scope 指定所属机关或地区")
        scope_row = agencies.require(session, scope)
    user = User(name=name, role=role, scope=scope_row, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < 8:
        raise StoreError("密码至少 8 个字符")
    user.password_hash = _hasher.hash(password)


def verify(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(session: Session, user: User) -> str:
    """A new API token for ``user`` (shown once; only its hash is kept)."""
    token = "xxgk_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=digest(token)))
    session.flush()
    return token


def token_user(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    return row.user if row is not None else None


def open_session(session: Session, user: User) -> tuple[str, str]:
    """A new login session: (cookie token, CSRF token)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=digest(token),
            csrf=csrf,
            expires=now() + timedelta(hours=SESSION_HOURS),
        )
    )
    session.execute(delete(WebSession).where(WebSession.expires < now()))
    session.flush()
    return token, csrf


def find_session(session: Session, token: str) -> WebSession | None:
    row = session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if row is None or _utc(row.expires) < now():
        return None
    return row


def close_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))


def login_blocked(session: Session, username: str, client: str) -> bool:
    """Too many failed logins lately for this user name or from this address."""
    since = now() - WINDOW
    fails = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    )
    by_user = session.scalar(fails.where(LoginAttempt.username == username)) or 0
    by_client = session.scalar(fails.where(LoginAttempt.client == client)) or 0
    return by_user >= MAX_FAILS_USER or by_client >= MAX_FAILS_CLIENT


def record_login(session: Session, username: str, client: str, success: bool) -> None:
    session.add(LoginAttempt(username=username[:100], client=client[:64], success=success))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now() - 4 * WINDOW))


def audit(session: Session, user: User | None, action: str, detail: str = "") -> None:
    session.add(
        AuditEntry(
            user_id=user.id if user is not None else None,
            username=user.name if user is not None else None,
            action=action,
            detail=detail,
        )
    )
