"""A small web handler module with the usual mistakes."""
import hashlib
import os
import pickle
import sqlite3


def find_user(db: sqlite3.Connection, name: str):
    cur = db.cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return cur.fetchone()


def restore_session(blob: bytes):
    return pickle.loads(blob)


def ping(host: str) -> int:
    return os.system("ping -c 1 " + host)


def password_digest(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()
