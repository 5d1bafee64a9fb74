/* This file handles the check that the first binding team loads hwloc
 * without its plugins (PCI, OpenCL, GL, libxml2: ~40 ms of dynamic loading
 * weft has no use for) and leaves the environment as the user had it.
 * Run with OMP_PROC_BIND=close OMP_PLACES=cores (see CMakeLists.txt); with
 * argv[1] = "kept" the test also sets HWLOC_PLUGINS_BLACKLIST itself first
 * and checks that weft neither replaces nor removes the user's value.
 * Exit status 0: passed; 1: failed (the reason on stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <weft/abi.h>

static void body(void *data, uint64_t lo, uint64_t hi, void *red) {
    (void)red;
    long *hits = data;
    __atomic_fetch_add(hits, (long)(hi - lo), __ATOMIC_RELAXED);
}

/* Number of hwloc plugin objects (…/hwloc/hwloc_*.so) mapped now. */
static int plugins_mapped(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "/hwloc/hwloc_"))
            n++;
    fclose(f);
    return n;
}

int main(int argc, char **argv) {
    int kept = argc > 1 && strcmp(argv[1], "kept") == 0;
    if (kept && setenv("HWLOC_PLUGINS_BLACKLIST", "user-value", 1) != 0)
        return 1;
    static const struct weft_loc L = {"hwloc_plugins.c", "main", 1, 1};
    long hits = 0;
    struct weft_loop lp = {&L, 1000, 0, 2, 0, WEFT_BIND_UNSET, 0u,
                           body,   &hits, NULL};
    WEFT_parallel_for(&lp);
    if (hits != 1000) {
        fprintf(stderr, "FAIL: loop ran %ld iterations, not 1000\n", hits);
        return 1;
    }
    const char *v = getenv("HWLOC_PLUGINS_BLACKLIST");
    if (kept ? !v || strcmp(v, "user-value") != 0 : v != NULL) {
        fprintf(stderr, "FAIL: HWLOC_PLUGINS_BLACKLIST is %s afterwards\n",
                v ? v : "(unset)");
        return 1;
    }
    int n = plugins_mapped();
    if (!kept && n != 0) {
        fprintf(stderr, "FAIL: %d hwloc plugin mappings after the first "
                        "binding team\n", n);
        return 1;
    }
    printf("ok: %d plugin mappings, blacklist %s\n", n, v ? v : "(unset)");
    return 0;
}
