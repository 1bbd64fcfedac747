#!/usr/bin/env python3
"""Interoperability check between riverkeeper-cli and the host's own stack.

The KohakuRiver host stores its data with peewee on SQLite, hashes passwords with bcrypt and API
tokens with SHA3-512. This script uses the same libraries (Debian's python3-peewee and
python3-bcrypt) with models declared like the host's (the field types from its schema), and:

  1. compares the tables peewee creates with the ones `riverkeeper-cli init` creates;
  2. fills a database the way the host does (users, sessions, tokens, a group);
  3. lets riverkeeper-cli sign in against it and change it;
  4. reads everything Riverkeeper wrote back through peewee, bcrypt and hashlib, as the host
     would on its next request.

Usage: host_compat.py --cli PATH/riverkeeper-cli
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile

import bcrypt
import peewee

db = peewee.SqliteDatabase(None)


class Base(peewee.Model):
    class Meta:
        database = db


class Group(Base):
    id = peewee.AutoField()
    name = peewee.CharField(unique=True, max_length=100)
    tier = peewee.IntegerField(default=0)
    limits_json = peewee.TextField(default="{}")
    created_at = peewee.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "groups"


class User(Base):
    id = peewee.AutoField()
    username = peewee.CharField(unique=True, max_length=50, index=True)
    display_name = peewee.CharField(max_length=100, null=True)
    password_hash = peewee.CharField(max_length=255)
    is_active = peewee.BooleanField(default=True)
    role = peewee.CharField(default="user", max_length=20)
    created_at = peewee.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "users"


class Session(Base):
    id = peewee.AutoField()
    session_id = peewee.CharField(unique=True, max_length=64, index=True)
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    expires_at = peewee.DateTimeField()
    created_at = peewee.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "sessions"


class Token(Base):
    id = peewee.AutoField()
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    token_hash = peewee.CharField(max_length=128, unique=True, index=True)
    name = peewee.CharField(max_length=100)
    last_used = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "tokens"


class Invitation(Base):
    id = peewee.AutoField()
    token = peewee.CharField(unique=True, max_length=64, index=True)
    role = peewee.CharField(default="user", max_length=20)
    group = peewee.ForeignKeyField(Group, null=True, on_delete="SET NULL")
    max_usage = peewee.IntegerField(default=1)
    usage_count = peewee.IntegerField(default=0)
    expires_at = peewee.DateTimeField()
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "invitations"

    def is_valid(self):
        return datetime.datetime.now() <= self.expires_at and self.usage_count < self.max_usage


class UserGroup(Base):
    id = peewee.AutoField()
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, on_delete="CASCADE")
    role_override = peewee.CharField(null=True, max_length=20)
    created_at = peewee.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "user_groups"
        indexes = ((("user", "group"), True),)


class VpsAssignment(Base):
    id = peewee.AutoField()
    vps_task_id = peewee.BigIntegerField(index=True)
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "vps_assignments"
        indexes = ((("vps_task_id", "user"), True),)


class Task(Base):
    task_id = peewee.BigIntegerField(primary_key=True)
    task_type = peewee.CharField(default="command")
    batch_id = peewee.BigIntegerField(null=True, index=True)
    command = peewee.TextField()
    arguments = peewee.TextField(default="[]")
    env_vars = peewee.TextField(default="{}")
    required_cores = peewee.IntegerField(default=1)
    required_gpus = peewee.TextField(default="[]")
    required_memory_bytes = peewee.BigIntegerField(null=True)
    target_numa_node_id = peewee.IntegerField(null=True)
    name = peewee.CharField(null=True)
    owner_id = peewee.IntegerField(null=True, index=True)
    approval_status = peewee.CharField(null=True, index=True)
    approved_by_id = peewee.IntegerField(null=True)
    approved_at = peewee.DateTimeField(null=True)
    rejection_reason = peewee.TextField(null=True)
    status = peewee.CharField(default="pending")
    assigned_node = peewee.CharField(null=True, index=True)
    assignment_suspicion_count = peewee.IntegerField(default=0)
    container_name = peewee.CharField(null=True)
    registry_image = peewee.CharField(null=True)
    docker_image_name = peewee.CharField(null=True)
    docker_privileged = peewee.BooleanField(default=False)
    docker_mount_dirs = peewee.TextField(null=True)
    ssh_port = peewee.IntegerField(null=True)
    vps_backend = peewee.CharField(default="docker")
    vm_image = peewee.CharField(null=True)
    vm_disk_size = peewee.CharField(null=True)
    vm_ip = peewee.CharField(null=True)
    stdout_path = peewee.TextField(default="")
    stderr_path = peewee.TextField(default="")
    exit_code = peewee.IntegerField(null=True)
    error_message = peewee.TextField(null=True)
    submitted_at = peewee.DateTimeField(default=datetime.datetime.now)
    started_at = peewee.DateTimeField(null=True)
    completed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "tasks"


class Node(Base):
    hostname = peewee.CharField(primary_key=True)
    url = peewee.CharField()
    total_cores = peewee.IntegerField()
    memory_total_bytes = peewee.BigIntegerField(null=True)
    status = peewee.CharField(default="online")
    last_heartbeat = peewee.DateTimeField(default=datetime.datetime.now)
    cpu_percent = peewee.FloatField(null=True)
    memory_percent = peewee.FloatField(null=True)
    memory_used_bytes = peewee.BigIntegerField(null=True)
    current_avg_temp = peewee.FloatField(null=True)
    current_max_temp = peewee.FloatField(null=True)
    numa_topology = peewee.TextField(null=True)
    gpu_info = peewee.TextField(null=True)
    vm_capable = peewee.BooleanField(default=False)
    vfio_gpus = peewee.TextField(null=True)
    runner_version = peewee.CharField(null=True)

    class Meta:
        table_name = "nodes"


AUTH_TABLES = [Group, User, Session, Token, Invitation, UserGroup, VpsAssignment]
HOST_TABLES = AUTH_TABLES + [Task, Node]
DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$")
failures = []
passed = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    (passed if condition else failures).append(what)


def schema_of(path, only):
    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN (%s) ORDER BY name"
        % ",".join("?" * len(only)), only).fetchall()
    con.close()
    # peewee emits CREATE TABLE IF NOT EXISTS; sqlite_master keeps the text as written.
    return rows


def cli(args, db_path, stdin="", env_extra=None, expect=0):
    env = dict(os.environ)
    env.pop("RIVERKEEPER_PASSWORD", None)
    env.pop("RIVERKEEPER_NEW_PASSWORD", None)
    env.update(env_extra or {})
    proc = subprocess.run([CLI, "--db", db_path] + args, input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)
    if proc.returncode != expect:
        print(proc.stdout, proc.stderr, file=sys.stderr)
    words = args[2:] if args[:1] == ["--user"] else args
    check(proc.returncode == expect, "riverkeeper-cli %s exits %d" % (" ".join(words[:4]), expect))
    return proc.stdout


def main():
    global CLI
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    CLI = parser.parse_args().cli
    tmp = tempfile.mkdtemp(prefix="rk-compat-")
    host_db = os.path.join(tmp, "kohakuriver.db")
    rk_db = os.path.join(tmp, "riverkeeper-new.db")

    # 1. The tables a new Riverkeeper store creates are the host's, byte for byte.
    db.init(host_db)
    db.connect()
    db.create_tables(HOST_TABLES, safe=True)
    tables = [m._meta.table_name for m in HOST_TABLES]
    cli(["init", "--admin", "root"], rk_db, stdin="rootpass123\n")
    check(schema_of(host_db, tables) == schema_of(rk_db, tables),
          "riverkeeper-cli init creates the host's tables exactly as peewee does")
    con = sqlite3.connect(rk_db)
    check(con.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "journal_mode stays delete")
    check(con.execute("PRAGMA user_version").fetchone()[0] == 0, "user_version stays 0")
    con.close()

    # 2. Fill it as the host does.
    admin_hash = bcrypt.hashpw(b"adminpass123", bcrypt.gensalt(rounds=12)).decode()
    admin = User.create(username="admin", display_name="Admin", password_hash=admin_hash, role="admin")
    bob = User.create(username="bob", display_name="Bob", password_hash=admin_hash, role="user")
    now = datetime.datetime.now()
    Session.create(session_id=secrets.token_hex(32), user=bob, expires_at=now + datetime.timedelta(hours=720))
    Session.create(session_id=secrets.token_hex(32), user=admin, expires_at=now + datetime.timedelta(hours=720))
    host_token = secrets.token_hex(32)
    Token.create(user=bob, token_hash=hashlib.sha3_512(host_token.encode()).hexdigest(), name="laptop")
    db.close()

    # 3. Riverkeeper signs in with the host's bcrypt hash and changes things.
    env = {"RIVERKEEPER_PASSWORD": "adminpass123"}
    users = json.loads(cli(["--user", "admin", "users", "list", "--json"], host_db, env_extra=env))
    check(sorted(u["username"] for u in users) == ["admin", "bob"], "the host's users are listed")
    cli(["--user", "admin", "users", "create", "carol", "--role", "operator", "--display-name", "Carol C"],
        host_db, env_extra=dict(env, RIVERKEEPER_NEW_PASSWORD="carol-secret-1"))
    cli(["--user", "admin", "users", "set", "bob", "--active", "no"], host_db, env_extra=env)
    out = cli(["--user", "admin", "tokens", "create", "--for", "carol", "--name", "ci"], host_db, env_extra=env)
    match = re.search(r"\b[0-9a-f]{64}\b", out)
    check(match is not None, "tokens create prints a 64-hex token")
    carol_token = match.group(0) if match else ""
    cli(["--user", "admin", "groups", "create", "ml-research"], host_db, env_extra=env)
    cli(["--user", "admin", "groups", "add-member", "ml-research", "carol"], host_db, env_extra=env)
    out = cli(["--user", "admin", "invitations", "create", "--role", "viewer", "--group", "ml-research",
               "--uses", "3", "--expires-hours", "24"], host_db, env_extra=env)
    match = re.search(r"\b[0-9a-f]{64}\b", out)
    invite_token = match.group(0) if match else ""
    cli(["--user", "admin", "sessions", "revoke", "--of", "bob"], host_db, env_extra=env)
    cli(["--user", "admin", "users", "set", "admin", "--role", "user"], host_db, env_extra=env, expect=1)

    # 4. The host reads what Riverkeeper wrote.
    db.init(host_db)
    db.connect()
    carol = User.get(User.username == "carol")
    check(bcrypt.checkpw(b"carol-secret-1", carol.password_hash.encode()), "bcrypt.checkpw accepts Riverkeeper's hash")
    check(carol.password_hash.startswith("$2b$12$") and len(carol.password_hash) == 60, "hash is $2b$12$, 60 chars")
    check(isinstance(carol.created_at, datetime.datetime), "peewee parses created_at as a datetime")
    check(carol.is_active is True and carol.role == "operator" and carol.display_name == "Carol C",
          "is_active/role/display_name read back")
    check(User.get(User.username == "bob").is_active is False, "bob is disabled (0)")
    token = Token.get_or_none(Token.token_hash == hashlib.sha3_512(carol_token.encode()).hexdigest())
    check(token is not None and token.user_id == carol.id and token.last_used is None,
          "the host finds carol's token by its SHA3-512 hash")
    check(Token.get_or_none(Token.token_hash == hashlib.sha3_512(host_token.encode()).hexdigest()) is not None,
          "the host's own token is untouched")
    check(Session.select().where(Session.user == User.get(User.username == "bob").id).count() == 0,
          "bob's sessions are gone")
    check(Session.select().where(Session.user == admin.id).count() == 1, "admin's session stays")
    group = Group.get(Group.name == "ml-research")
    check(json.loads(group.limits_json) == {} and group.tier == 0, "group limits_json/tier read back")
    check(UserGroup.select().where((UserGroup.user == carol.id) & (UserGroup.group == group.id)).count() == 1,
          "membership row")
    invitation = Invitation.get_or_none(Invitation.token == invite_token)
    check(invitation is not None and invitation.is_valid() and invitation.max_usage == 3
          and invitation.role == "viewer" and invitation.group_id == group.id
          and invitation.created_by_id == admin.id, "the host accepts the invitation as valid")
    if invitation is not None:
        delta = invitation.expires_at - datetime.datetime.now()
        check(datetime.timedelta(hours=23) < delta <= datetime.timedelta(hours=24), "invitation expires in 24 h")
    db.close()
    raw = sqlite3.connect(host_db)
    for table, column in [("users", "created_at"), ("tokens", "created_at"), ("groups", "created_at"),
                          ("user_groups", "created_at"), ("invitations", "expires_at")]:
        values = [r[0] for r in raw.execute("SELECT %s FROM %s" % (column, table))]
        check(all(isinstance(v, str) and DATETIME.match(v) for v in values),
              "%s.%s is host datetime text" % (table, column))
    check(raw.execute("SELECT typeof(is_active) FROM users WHERE username='carol'").fetchone()[0] == "integer",
          "is_active is stored as an integer")
    check(raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "journal_mode stays delete on the host db")
    leaked = raw.execute("SELECT count(*) FROM rk_audit WHERE coalesce(before_json,'') || coalesce(after_json,'') "
                         "|| coalesce(target,'') LIKE ? OR coalesce(before_json,'') || coalesce(after_json,'') LIKE ?",
                         ("%" + carol_token + "%", "%carol-secret-1%")).fetchone()[0]
    check(leaked == 0, "no secret in the audit log")
    raw.close()

    print("host compatibility: %d checks passed, %d failed" % (len(passed), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
