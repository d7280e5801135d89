"""The feedback database's tables, as the migrations that make them, one per version."""

from __future__ import annotations

# Each entry upgrades the schema from its index to the next version. Never edit one that
# has shipped: a database out there is at that version; add a new one instead.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: asks and votes.
    """
    CREATE TABLE asks (
        id INTEGER PRIMARY KEY,       -- made by the caller, so a button can carry it at once
        at REAL NOT NULL,             -- Unix time, UTC
        surface TEXT NOT NULL,        -- console, cli, discord
        question TEXT NOT NULL,
        abstained INTEGER NOT NULL,
        answers TEXT NOT NULL,        -- JSON: the cited sentences, best first
        corpus TEXT NOT NULL,         -- fingerprint of the corpus that answered
        conversation TEXT NOT NULL
    );
    CREATE INDEX asks_at ON asks (at);
    CREATE TABLE votes (
        ask INTEGER NOT NULL,
        voter TEXT NOT NULL,          -- a salted hash of a Discord user id, or "console"
        up INTEGER NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (ask, voter)
    );
    CREATE INDEX votes_voter ON votes (voter);
    """,
    # 1 -> 2: the kind of reply, who asked (hashed; to forget a person), quiet servers.
    """
    ALTER TABLE asks ADD COLUMN kind TEXT NOT NULL DEFAULT 'answer';
    ALTER TABLE asks ADD COLUMN asker TEXT;
    CREATE INDEX asks_asker ON asks (asker);
    CREATE TABLE quiet_guilds (guild TEXT PRIMARY KEY, at REAL NOT NULL);
    """,
    # 2 -> 3: each server's settings (/config), and every change with who made it.
    """
    CREATE TABLE guild_settings (
        guild TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (guild, name)
    );
    CREATE TABLE setting_changes (
        guild TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT,                   -- NULL: back to the default
        changed_by TEXT NOT NULL,     -- the Discord user id of the server manager
        at REAL NOT NULL
    );
    CREATE INDEX setting_changes_guild ON setting_changes (guild, at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
