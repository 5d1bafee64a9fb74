/* This file handles weft-translate, the inspection tool: it runs the
 * translator on one C file and writes the translation (stdout with -o -),
 * so that users and tests can see what weftcc compiles.
 *
 *     weft-translate [--verbose] in.c -o out.c [-- compiler flags] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translate.h"

static void usage(FILE *f) {
    fputs("usage: weft-translate [--verbose] [--display-name NAME] in.c "
          "-o out.c [-- compiler flags]\n"
          "Translates #pragma omp/weft parallel for loops into calls to the "
          "weft runtime.\n"
          "  -o FILE              output file ('-' for stdout)\n"
          "  -v, --verbose        print the translator's decisions\n"
          "  --display-name NAME  file name for diagnostics and #line\n"
          "  -h, --help           this help\n",
          f);
}

int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"verbose", no_argument, NULL, 'v'},
        {"display-name", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL;
    struct tr_options opt = {NULL, 0};
    int ch;
    /* '+': stop at the first non-option so '--' and flags after the
     * input are left for us. */
    while ((ch = getopt_long(argc, argv, "+o:vh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            out = optarg;
            break;
        case 'v':
            opt.verbose = 1;
            break;
        case 'n':
            opt.display_name = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    const char *in = NULL;
    int i = optind;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-v") == 0 ||
                   strcmp(argv[i], "--verbose") == 0) {
            opt.verbose = 1;
        } else if (!in) {
            in = argv[i];
        } else {
            fprintf(stderr, "weft-translate: more than one input file\n");
            return 2;
        }
    }
    if (!in || !out) {
        usage(stderr);
        return 2;
    }
    int rc = tr_translate_file(in, out, (const char *const *)argv + i, argc - i,
                               &opt);
    return rc == 0 ? 0 : rc == 1 ? 1 : 2;
}
