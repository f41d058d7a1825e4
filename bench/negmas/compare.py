"""truce against NegMAS on GENIUS domains: outcome count, utilities of every
outcome, Pareto frontier, Nash, Kalai-Smorodinsky and utilitarian points, and
time per method. Run through bench/negmas/compare.

NegMAS utility functions are built here from the XML under GENIUS's rules
(discrete evaluations divided by the issue's largest; integer linear
evaluators shifted by the lower bound and clamped to [0, 1]; weighted sum;
reservation value 0 where absent), so that like is compared with like. See
docs/negmas-comparison.md for the definitions each tool uses.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import numpy as np


def genius_domain(folder):
    """Issues and profiles of a GENIUS folder, read independently of truce."""
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith(".xml"))
    roots = {f: ET.parse(os.path.join(folder, f)).getroot() for f in files}
    domain = [f for f in files if roots[f].tag == "negotiation_template"][0]
    issues = []
    for el in roots[domain].iter("issue"):
        kind = el.get("vtype") or el.get("etype") or el.get("type") or "discrete"
        if kind == "integer":
            lo, hi = int(el.get("lowerbound")), int(el.get("upperbound"))
            issues.append((el.get("name"), el.get("index"), "integer", list(range(lo, hi + 1))))
        else:
            issues.append((el.get("name"), el.get("index"), "discrete",
                           [i.get("value") for i in el.findall("item")]))
    profiles = []
    for f in files:
        r = roots[f]
        if f == domain or r.tag != "utility_space" or r.find(".//weight") is None:
            continue
        obj = r.find(".//objective")
        weights = {w.get("index"): float(w.get("value")) for w in obj.findall("weight")}
        funs, ws = [], []
        for name, index, kind, values in issues:
            el = [e for e in obj.findall("issue") if e.get("index") == index and e.get("name") == name][0]
            ws.append(weights[index])
            if kind == "integer":
                ev = el.find("evaluator")
                off, slope, lo = float(ev.get("offset")), float(ev.get("slope")), values[0]
                funs.append({x: min(1.0, max(0.0, off + slope * (x - lo))) for x in values})
            else:
                evals = {i.get("value"): float(i.get("evaluation")) for i in el.findall("item")}
                top = max(evals.values())
                funs.append({v: (evals[v] / top if top > 0 else 0.0) for v in values})
        res = r.find(".//reservation")
        reserved = float(res.get("value")) if res is not None else 0.0
        profiles.append((f, funs, ws, reserved))
    return issues, profiles


def negmas_scenario(folder):
    from negmas import make_issue
    from negmas.outcomes import make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues, profiles = genius_domain(folder)
    nissues = [make_issue(values, name) for name, _, _, values in issues]
    os_ = make_os(nissues)
    ufuns = [
        LinearAdditiveUtilityFunction(values=funs, weights=ws, outcome_space=os_, reserved_value=r)
        for _, funs, ws, r in profiles
    ]
    return os_, ufuns, [p[0] for p in profiles]


def negmas_solve(os_, ufuns):
    """Frontier, Nash, KS, utilitarian, each timed; GENIUS rules for the
    disagreement point (the reservation value) passed as explicit ranges."""
    from negmas.preferences.ops import ks_points, max_welfare_points, nash_points, pareto_frontier

    out, times = {}, {}
    t = time.perf_counter()
    outcomes = list(os_.enumerate())
    frontier, idx = pareto_frontier(ufuns, outcomes=outcomes)
    times["pareto"] = time.perf_counter() - t
    rs = [u.reserved_value for u in ufuns]
    rational = [(f, i) for f, i in zip(frontier, idx) if all(x >= r for x, r in zip(f, rs))]
    rfront = [f for f, _ in rational]
    out["frontier"] = rfront
    out["frontier_outcomes"] = [outcomes[i] for _, i in rational]
    if rfront:
        best = [max(f[k] for f in rfront) for k in range(len(ufuns))]
        ranges = [(r, b) for r, b in zip(rs, best)]
        t = time.perf_counter()
        out["nash"] = [p for p, _ in nash_points(ufuns, rfront, ranges=ranges)]
        times["nash"] = time.perf_counter() - t
        t = time.perf_counter()
        out["ks"] = [p for p, _ in ks_points(ufuns, rfront, ranges=ranges)]
        times["ks"] = time.perf_counter() - t
        out["utilitarian"] = [p for p, _ in max_welfare_points(ufuns, rfront)]
        # NegMAS's own defaults, to show where they depart from GENIUS.
        out["nash_default"] = [p for p, _ in nash_points(ufuns, rfront, outcome_space=os_)]
        out["ks_default"] = [p for p, _ in ks_points(ufuns, rfront, outcome_space=os_)]
    return out, times, outcomes


def key(v, digits=6):
    # truce's JSON rounds utilities to 6 decimals.
    return tuple(round(float(x), digits) for x in v)


def run_truce(truce, folder):
    t = time.perf_counter()
    p = subprocess.run([truce, "analyze", folder, "--format", "json", "--timings"],
                       capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    return json.loads(p.stdout), wall


def truce_utilities(truce, folder, parties):
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        subprocess.run([truce, "utilities", folder, "--format", "binary", "-o", f.name],
                       check=True, capture_output=True)
        return np.fromfile(f.name, dtype="<f8").reshape(-1, parties)


NEGMAS_COMMAND = """
import sys, time
sys.path.insert(0, {here!r})
import compare
os_, ufuns, _ = compare.negmas_scenario({folder!r})
out, _, _ = compare.negmas_solve(os_, ufuns)
print(len(out["frontier"]))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truce", required=True)
    ap.add_argument("--anac", required=True)
    ap.add_argument("--only", default="")
    ap.add_argument("--no-whole", action="store_true", help="skip the whole-command timing")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    folders = sorted(d for d in os.listdir(args.anac)
                     if os.path.isdir(os.path.join(args.anac, d)) and args.only in d)
    rows = []
    for d in folders:
        folder = os.path.join(args.anac, d)
        tj, twall = run_truce(args.truce, folder)
        t = time.perf_counter()
        os_, ufuns, names = negmas_scenario(folder)
        nload = time.perf_counter() - t
        out, times, outcomes = negmas_solve(os_, ufuns)
        # Utilities of every outcome: NegMAS ufuns against `truce utilities`.
        tu = truce_utilities(args.truce, folder, len(ufuns))
        nu = np.array([[u(o) for u in ufuns] for o in outcomes], dtype=float)
        maxdiff = float(np.max(np.abs(tu - nu))) if len(outcomes) else 0.0
        # Frontier as sets of utility vectors. Where they differ, a brute-force
        # check over every rational outcome says which side is right.
        t_front = {key(p["utilities"][k] for k in tj["bargaining_parties"]) for p in tj["pareto"]}
        n_front = {key(f) for f in out["frontier"]}
        same_front = t_front == n_front
        rs = np.array([u.reserved_value for u in ufuns])
        rational = tu[(tu >= rs).all(axis=1)]

        def dominated(v):
            q = rational[np.argmin(np.abs(rational - np.array(v)).sum(axis=1))]
            better = (rational >= q - 1e-12).all(axis=1) & (rational > q + 1e-12).any(axis=1)
            return bool(better.any())

        negmas_extra = [v for v in n_front - t_front]
        truce_extra = [v for v in t_front - n_front]
        negmas_dominated = sum(dominated(v) for v in negmas_extra)
        truce_dominated = sum(dominated(v) for v in truce_extra)
        t_distinct = len(t_front)

        def vec(sol):
            s = tj["solutions"][sol]
            return None if s is None else key(s["utilities"][k] for k in tj["bargaining_parties"])

        nash_ok = vec("nash") in {key(p) for p in out.get("nash", [])}
        ks_ok = vec("kalai_smorodinsky") in {key(p) for p in out.get("ks", [])}
        util_ok = vec("utilitarian") in {key(p) for p in out.get("utilitarian", [])}
        nash_default_same = {key(p) for p in out.get("nash_default", [])} == {key(p) for p in out.get("nash", [])}
        ks_default_same = {key(p) for p in out.get("ks_default", [])} == {key(p) for p in out.get("ks", [])}
        tcompute = tj["timings"]["analysis_ms"] / 1000
        ncompute = times.get("pareto", 0) + times.get("nash", 0) + times.get("ks", 0)
        whole = None
        if not args.no_whole:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", NEGMAS_COMMAND.format(here=here, folder=folder)],
                           check=True, capture_output=True)
            whole = time.perf_counter() - t
        rows.append(dict(
            domain=d, outcomes=tj["outcomes"], negmas_outcomes=len(outcomes),
            max_utility_diff=maxdiff,
            truce_frontier=tj["pareto_count"], negmas_frontier=len(out["frontier"]),
            frontier_vectors_agree=same_front, truce_distinct=t_distinct,
            negmas_extra=len(negmas_extra), negmas_extra_dominated=negmas_dominated,
            truce_extra=len(truce_extra), truce_extra_dominated=truce_dominated,
            nash=nash_ok, ks=ks_ok, utilitarian=util_ok,
            negmas_default_nash_same=nash_default_same, negmas_default_ks_same=ks_default_same,
            truce_compute_s=tcompute, negmas_compute_s=ncompute,
            negmas_pareto_s=times.get("pareto", 0), negmas_load_s=nload,
            compute_ratio=(ncompute / tcompute) if tcompute > 0 else math.inf,
            truce_whole_s=twall, negmas_whole_s=whole,
            whole_ratio=(whole / twall) if whole else None,
        ))
        r = rows[-1]
        print(f"{d}: outcomes {r['outcomes']}/{r['negmas_outcomes']}, max |du| {maxdiff:.2e}, "
              f"frontier {r['truce_frontier']} ({t_distinct} distinct)/{r['negmas_frontier']} vectors agree={same_front} "
              f"[NegMAS-only {len(negmas_extra)}, {negmas_dominated} dominated; truce-only {len(truce_extra)}, {truce_dominated} dominated], "
              f"nash={nash_ok} ks={ks_ok} utilitarian={util_ok}, "
              f"compute {tcompute:.4f}s vs {ncompute:.3f}s (x{r['compute_ratio']:.0f})"
              + (f", whole {twall:.3f}s vs {whole:.2f}s (x{r['whole_ratio']:.0f})" if whole else ""),
              flush=True)
    print()
    print("| domain | outcomes | max abs utility diff | Pareto: truce packages (distinct vectors) / NegMAS | frontier vectors agree | Nash | KS | utilitarian | NegMAS default Nash / KS same | truce compute (s) | NegMAS compute (s) | ratio | truce whole (s) | NegMAS whole (s) | ratio |")
    print("|---|---:|---:|---:|:-:|:-:|:-:|:-:|:-:|---:|---:|---:|---:|---:|---:|")
    yn = lambda b: "yes" if b else "**no**"
    for r in rows:
        whole = f"{r['negmas_whole_s']:.2f} | {r['whole_ratio']:.0f}×" if r["negmas_whole_s"] else "– | –"
        print(f"| {r['domain']} | {r['outcomes']:,} | {r['max_utility_diff']:.1e} | "
              f"{r['truce_frontier']} ({r['truce_distinct']}) / {r['negmas_frontier']} | "
              + ("yes" if r["frontier_vectors_agree"] else
                 f"no: NegMAS adds {r['negmas_extra']} ({r['negmas_extra_dominated']} dominated), "
                 f"truce adds {r['truce_extra']} ({r['truce_extra_dominated']} dominated)")
              + f" | "
              f"{yn(r['nash'])} | {yn(r['ks'])} | {yn(r['utilitarian'])} | "
              f"{'yes' if r['negmas_default_nash_same'] else 'no'} / {'yes' if r['negmas_default_ks_same'] else 'no'} | "
              f"{r['truce_compute_s']:.4f} | {r['negmas_compute_s']:.3f} | {r['compute_ratio']:.0f}× | "
              f"{r['truce_whole_s']:.3f} | {whole} |")


if __name__ == "__main__":
    main()
