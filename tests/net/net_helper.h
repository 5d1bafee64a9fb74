/* This file handles the worker role of the handshake helper processes: it
 * is compiled into the net_helper executable and into the handshake test
 * itself, so the test can start a worker from the same binary or from a
 * different one. */
#ifndef WEFT_TESTS_NET_HELPER_H
#define WEFT_TESTS_NET_HELPER_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/handshake.h"

/* Runs "join PORT SECRET" from argv[1..3]: connects to 127.0.0.1:PORT and
 * joins as a worker named "helper". Returns the exit status: -rc of the
 * handshake (0 on success), or 100 for bad usage / no connection. */
static inline int nt_helper_main(int argc, char **argv) {
    if (argc != 4 || strcmp(argv[1], "join") != 0)
        return 100;
    int fd = weft__net_connect("127.0.0.1", atoi(argv[2]), 5000, NULL);
    if (fd < 0)
        return 100;
    struct weft__transport *t;
    if (weft__transport_sock_create(fd, NULL, &t) != 0) {
        close(fd);
        return 100;
    }
    struct weft__hs_config cfg;
    struct weft__hs_peer peer;
    memset(&cfg, 0, sizeof cfg);
    cfg.secret = (const uint8_t *)argv[3];
    cfg.secret_len = strlen(argv[3]);
    cfg.timeout_ms = 5000;
    cfg.nthreads = 3;
    cfg.name = "helper";
    int rc = weft__hs_join(t, &cfg, &peer);
    weft__transport_close(t);
    return -rc;
}

#endif
