"""The one settings object, read from ``PLANMAP_*`` environment variables (and ``.env``).

Everything configurable lives here so that a newcomer finds every knob in one place and a
typo in a variable fails at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """planmap configuration; see ``.env.example`` for the documented list."""

    model_config = SettingsConfigDict(
        env_prefix="PLANMAP_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL of a server with PostGIS. Unset: planmap runs its own cluster.",
    )
    web_database_url: str | None = Field(
        default=None,
        description="URL the dashboard connects with (a member of planmap_web) when PLANMAP_DATABASE_URL is set;"
        " unset: the private cluster's web role, or the owner URL with a warning.",
    )
    data_dir: Path = Field(
        default=Path(".planmap"),
        description="Folder for the private PostgreSQL cluster, its log and password.",
    )
    pg_port: int = Field(default=54329, ge=1024, le=65535, description="Port of the private cluster.")
    pg_bindir: Path | None = Field(default=None, description="Folder of initdb/pg_ctl; found automatically when unset.")
    pg_user: str = Field(default="postgres", description="System user that runs the cluster when planmap runs as root.")
    db_name: str = Field(default="planmap", description="Database name in the private cluster.")
    boundaries: Path | None = Field(
        default=None, description="Boundary files (COD-AB GeoJSON/GPKG/SHP/zip or a folder) for the demo."
    )
    clusters_csv: Path | None = Field(
        default=None, description="Provincial clusters CSV; the packaged 2017 list when unset."
    )
    host: str = Field(default="127.0.0.1", description="Address the dashboard binds to.")
    port: int = Field(default=8050, ge=1, le=65535, description="Port of the dashboard.")
    pool_max: int = Field(default=8, ge=1, le=100, description="Largest database pool size.")
    export_workers: int = Field(default=2, ge=1, le=32, description="Exports the dashboard prepares at once.")
    export_queue: int = Field(
        default=4, ge=0, le=1000, description="Exports waiting for a worker; more are answered 429 (retry later)."
    )
    export_cache_mb: int = Field(
        default=256, ge=0, le=65536, description="Rendered exports kept per data version and view (MB, 0: none)."
    )
    import_max_mb: int = Field(
        default=50, ge=1, le=4096, description="Largest file an import reads (MB on disk; a CSV unpacked: 64 or this)."
    )
    import_max_rows: int = Field(
        default=100_000, ge=1, le=50_000_000, description="Most data rows one imported file may have."
    )
    anonymous_read: bool = Field(
        default=False, description="Anyone may read the whole country without signing in (published data, the demo)."
    )
    session_idle_minutes: int = Field(default=30, ge=1, le=1440, description="A session ends after this idle time.")
    session_hours: int = Field(default=12, ge=1, le=720, description="A session ends this long after sign-in.")
    debug: bool = Field(default=False, description="Dash debug mode (never in production).")
    workers: int = Field(
        default=2, ge=1, le=64, description="Worker processes of `planmap serve`, each with its own database pool."
    )
    threads: int = Field(default=8, ge=1, le=256, description="Requests each worker process serves at once.")
    trusted_proxies: int = Field(
        default=0, ge=0, le=5, description="Reverse proxies in front whose X-Forwarded-For/Proto/Host are believed."
    )
    trusted_hosts: str = Field(
        default="127.0.0.1,localhost",
        pattern=r"^\s*[^,\s]+(\s*,\s*[^,\s]+)*\s*$",
        description="Host names the dashboard answers to, comma-separated (.example.org: its subdomains).",
    )
    max_request_kb: int = Field(
        default=1024, ge=16, le=1_048_576, description="Largest request body (KB); a larger one is answered 413 unread."
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="Single sign-on: the OpenID Connect issuer URL of the identity provider (its"
        " /.well-known/openid-configuration is read). With PLANMAP_OIDC_CLIENT_ID it turns single sign-on on.",
    )
    oidc_client_id: str | None = Field(default=None, description="Single sign-on: planmap's client id at the provider.")
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="Single sign-on: the client secret (unset: a public client, PKCE only)."
    )
    oidc_scopes: str = Field(
        default="openid profile email",
        pattern=r"(^|\s)openid(\s|$)",
        description="Single sign-on: scopes asked for (space-separated, openid among them).",
    )
    oidc_username_claim: str = Field(
        default="preferred_username",
        min_length=1,
        description="Single sign-on: the ID token claim that names a not yet linked account (its first sign-in).",
    )
    oidc_provider_name: str = Field(
        default="SSO", min_length=1, max_length=60, description="Single sign-on: the provider's name on the button."
    )

    @field_validator("data_dir", "boundaries", "clusters_csv", "pg_bindir")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser()

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer(cls, value: str | None) -> str | None:
        """An issuer is reached over https (plain http only on this machine, for tests)."""
        if not value:
            return None
        parts = urlsplit(value)
        loopback = parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1")
        if not parts.hostname or not (parts.scheme == "https" or loopback) or parts.query or parts.fragment:
            raise ValueError("the issuer is an https:// URL without query (http:// only for localhost)")
        return value

    @property
    def sso(self) -> bool:
        """Single sign-on is on: an issuer and a client id are set."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def cluster_dir(self) -> Path:
        """Where ``initdb`` puts the private cluster (owned by ``pg_user`` when run as root)."""
        return self.data_dir.resolve() / "pg"

    @property
    def private(self) -> bool:
        """True when planmap manages its own PostgreSQL cluster."""
        return not self.database_url


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; ``overrides`` win (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
