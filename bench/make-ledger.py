#!/usr/bin/env python3
"""Writes a synthetic ledger in JSON Lines for the ledger measurements in
docs/performance.md: one source, one report, C commitments (60 days, with a
promised consequence), V violations spread over them, and statements up to
N records in all.

Usage: bench/make-ledger.py N [C] [V] > big.jsonl
"""
import sys

n = int(sys.argv[1])
c = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
v = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
out = sys.stdout
out.write('{"type":"source","id":"src","outlet":null,"title":"synthetic","url":null,"published":null}\n')
out.write('{"type":"report","id":"rep","source":"src","speaker":{"description":"synthetic"},"via":null,"said_on":null,"words":null,"at":null}\n')
for i in range(c):
    out.write('{"type":"commitment","id":"c%d","date":"2025-03-01","party":"p%d","scope":"s","from":"2025-03-01","days":60,'
              '"condition":null,"consequence":{"by":"us","action":"sanctions","reports":["rep"]},"reports":["rep"],"basis":null}\n' % (i, i % 7))
for i in range(v):
    out.write('{"type":"violation","id":"v%d","commitment":"c%d","date":"2025-04-%02d","reported_by":"x","reports":["rep"],"denied_by":[],"basis":null}\n'
              % (i, i % max(c, 1), 1 + i % 28))
for i in range(max(0, n - 2 - c - v)):
    out.write('{"type":"event","id":"e%d","kind":"statement","date":"2025-04-%02d","parties":["a"],"summary":"statement %d","reports":["rep"],"basis":null}\n'
              % (i, 1 + i % 28, i))
