#!/usr/bin/env python3
"""Writes COUNT messages (~3.6 KB of plain text each) straight into a Maildir, for Dovecot to
index afterwards (doveadm force-resync + index): thousands per second, where APPEND would take
minutes. Used by the connector benchmarks.

usage: load-maildir.py MAILDIR COUNT TAG   (TAG goes into the subjects and Message-IDs)
"""
import os
import sys
import time

root, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30 + "\r\n") * 2
cur = os.path.join(root, "cur")
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
now = int(time.time())
for i in range(count):
    message = (f"From: Sender {i % 50} <s{i % 50}@example.com>\r\nTo: bench@example.com\r\n"
               f"Subject: {tag} message {i}\r\nMessage-ID: <{tag}-{i}-{now}@bench>\r\n"
               f"Date: Thu, 26 Nov 2026 06:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}")
    with open(os.path.join(cur, f"{now - count + i}.b{i}.bench:2,"), "w") as f:
        f.write(message)
