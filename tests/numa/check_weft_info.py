#!/usr/bin/env python3
"""This file handles the weft-info --json test: runs weft-info under
synthetic and XML topologies with several OMP_* settings and checks the
parsed JSON against the placement OpenMP prescribes."""
import json
import os
import subprocess
import sys

WEFT_INFO = sys.argv[1]
ASYM_XML = sys.argv[2]
FAILS = 0


def run(env_extra, args=("--json",)):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OMP_", "HWLOC_", "WEFT_"))}
    env.update(env_extra)
    out = subprocess.run([WEFT_INFO, *args], env=env, capture_output=True,
                         text=True, timeout=30, check=True)
    return out


def check(cond, what):
    global FAILS
    if not cond:
        FAILS += 1
        print("FAIL:", what)


SYN = "package:2 numa:2 core:4 pu:2"

# Spread over cores: 4 threads land on cores 0, 4, 8, 12, one per domain.
info = json.loads(run({"HWLOC_SYNTHETIC": SYN, "OMP_PROC_BIND": "spread",
                       "OMP_NUM_THREADS": "4"}).stdout)
check(info["numa_nodes"] == 4, "numa_nodes %r" % info["numa_nodes"])
check(info["packages"] == 2 and info["cores"] == 16 and info["pus"] == 32,
      "counts %r" % info)
check(info["this_system"] is False, "this_system")
check(len(info["places"]) == 16 and info["places"][3] == [6, 7],
      "places %r" % info["places"][:4])
check([t["place"] for t in info["threads"]] == [0, 4, 8, 12],
      "spread places %r" % info["threads"])
check([t["numa"] for t in info["threads"]] == [0, 1, 2, 3], "spread numa")
check(info["threads"][1]["pus"] == [8, 9], "thread 1 pus")
check(info["proc_bind"] == "spread", "proc_bind")

# Close on numa_domains with 6 threads: 2, 2, 1, 1.
info = json.loads(run({"HWLOC_SYNTHETIC": SYN, "OMP_PROC_BIND": "close",
                       "OMP_PLACES": "numa_domains",
                       "OMP_NUM_THREADS": "6"}).stdout)
check([t["place"] for t in info["threads"]] == [0, 0, 1, 1, 2, 3],
      "close places %r" % [t["place"] for t in info["threads"]])
check(len(info["places"]) == 4 and len(info["places"][0]) == 8, "numa places")

# No binding requested: threads are not bound.
info = json.loads(run({"HWLOC_SYNTHETIC": SYN, "OMP_NUM_THREADS": "2"}).stdout)
check(info["proc_bind"] == "false", "default proc_bind")
check(all(t["place"] is None for t in info["threads"]), "unbound threads")

# XML fixture with distances; explicit places imply binding.
info = json.loads(run({"HWLOC_XMLFILE": ASYM_XML,
                       "OMP_PLACES": "{0:4}:3:8", "OMP_NUM_THREADS": "3"}).stdout)
check(info["pus"] == 28 and info["cores"] == 14, "xml counts")
check(info["distances"][0] == [10, 12, 20, 30], "xml distances")
check(info["places"] == [[0, 1, 2, 3], [8, 9, 10, 11], [16, 17, 18, 19]],
      "explicit places %r" % info["places"])
check([t["numa"] for t in info["threads"]] == [0, 1, 2], "explicit numa")

# A bad OMP_PLACES warns once and falls back to cores; text mode works.
out = run({"HWLOC_SYNTHETIC": SYN, "OMP_PLACES": "{0,1",
           "OMP_PROC_BIND": "close", "OMP_NUM_THREADS": "2"}, args=())
check(out.stderr.count("weft: warning: OMP_PLACES='{0,1'") == 1,
      "warning %r" % out.stderr)
check("NUMA domains 4" in out.stdout and "thread 1: place 1 cpus 2-3"
      in out.stdout, "text output %r" % out.stdout)

print("weft-info checks:", "FAILED %d" % FAILS if FAILS else "ok")
sys.exit(1 if FAILS else 0)
