"""Negotiations per second, truce against NegMAS, on the same bilateral
GENIUS domains. See bench/negmas/simulate (the entry point) and
docs/performance.md. NegMAS: a fresh SAOMechanism per negotiation,
AspirationNegotiator (first profile) against BoulwareTBNegotiator (second),
n_steps=100. truce: `truce simulate` with alternating offers, both parties
Boulware, 100 rounds, every run played (no run is skipped because it would
repeat another), timed as a whole command, start-up included."""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (the GENIUS reader shared with the analysis comparison)


def bilateral_example(truce, example, out):
    """The example without its linkages (GENIUS holds additive utilities
    only), exported, keeping the domain and the two parties at the table."""
    text = open(example, encoding="utf-8").read()
    text = re.sub(r"\[\[linkages\]\]\n(?:(?!\n\[|\n# -).)*\n", "", text, flags=re.S)
    src = os.path.join(out, "example.toml")
    open(src, "w", encoding="utf-8").write(text)
    full = os.path.join(out, "exported")
    subprocess.run([truce, "export", "genius", src, "-o", full], check=True, capture_output=True)
    folder = os.path.join(out, "ukraine-2025")
    os.makedirs(folder)
    for f in ("domain.xml", "russia.xml", "ukraine.xml"):
        shutil.copy(os.path.join(full, f), folder)
    return folder


def negmas_rate(folder, budget_s, most):
    from negmas import SAOMechanism
    from negmas.sao import AspirationNegotiator, BoulwareTBNegotiator

    os_, ufuns, names = compare.negmas_scenario(folder)
    done, agreed, t0 = 0, 0, time.perf_counter()
    while done < most and (done == 0 or time.perf_counter() - t0 < budget_s):
        m = SAOMechanism(outcome_space=os_, n_steps=100)
        m.add(AspirationNegotiator(name="a"), ufun=ufuns[0])
        m.add(BoulwareTBNegotiator(name="b"), ufun=ufuns[1])
        m.run()
        done += 1
        agreed += m.state.agreement is not None
    wall = time.perf_counter() - t0
    return done / wall, done, agreed / done, os_.cardinality, names


def truce_rate(truce, folder, runs):
    import json

    t0 = time.perf_counter()
    p = subprocess.run(
        [truce, "simulate", folder, "--protocol", "alternating", "--rounds", "100",
         "--runs", str(runs), "--no-vary", "--format", "json"]
        + sum((["--strategy", f"{party}=boulware"] for party in parties(truce, folder)), []),
        capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    return runs / wall, json.loads(p.stdout)["p_agreement"]


def parties(truce, folder):
    p = subprocess.run([truce, "check", folder, "--format", "json"], capture_output=True,
                       text=True, check=True)
    import json
    return [x["id"] for x in json.loads(p.stdout)["parties"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truce", required=True)
    ap.add_argument("--example", required=True)
    ap.add_argument("--anac", required=True)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        domains = [("ukraine-2025 (exported)", bilateral_example(a.truce, a.example, tmp), 30, 200_000)]
        for name, most, runs in (("anac2010_ItexvsCypress", 200, 200_000), ("anac2010_Travel", 5, 20_000)):
            folder = os.path.join(a.anac, name)
            if os.path.isdir(folder):
                domains.append((name, folder, most, runs))
            else:
                print(f"note: {folder} is absent; skipped", file=sys.stderr)
        print("| domain | outcomes | NegMAS negotiations/s (n) | NegMAS agreements | truce negotiations/s (runs) | truce agreements | ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, folder, most, runs in domains:
            n_rate, n_done, n_agree, size, _ = negmas_rate(folder, 10.0, most)
            t_rate, t_agree = truce_rate(a.truce, folder, runs)
            print(f"| {name} | {size:,} | {n_rate:,.1f} ({n_done}) | {n_agree:.0%} | "
                  f"{t_rate:,.0f} ({runs:,}) | {t_agree:.0%} | {t_rate / n_rate:,.0f}× |", flush=True)


if __name__ == "__main__":
    main()
