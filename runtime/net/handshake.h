/* This file handles the cluster handshake: before any chunk moves, the
 * coordinator and a worker prove to each other that they run the identical
 * binary (build-id hash), speak the same protocol version, and know the
 * cluster secret (HMAC-SHA256 challenge-response with libsodium), all
 * within one deadline. The secret itself never crosses the wire. */
#ifndef WEFT_NET_HANDSHAKE_H
#define WEFT_NET_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "net/transport.h"
#include "net/wire.h"

/* Shortest secret accepted; an empty or tiny secret is a configuration
 * mistake, not a cluster. */
#define WEFT__HS_SECRET_MIN 8
/* Longest secret accepted (secret files are read up to this size). */
#define WEFT__HS_SECRET_MAX 4096

/* What one side brings to the handshake. */
struct weft__hs_config {
    /* The cluster secret (from WEFT_SECRET or the file WEFT_SECRET_FILE,
     * read by env.c / weft__hs_secret_read_file). secret_len must be
     * WEFT__HS_SECRET_MIN..WEFT__HS_SECRET_MAX. Not copied. */
    const uint8_t *secret;
    size_t secret_len;
    /* WEFT__WIRE_BUILD_ID_LEN bytes, or NULL for weft__build_id()'s. */
    const uint8_t *build_id;
    int timeout_ms;        /* bound on the whole handshake (> 0) */
    uint32_t nthreads;     /* worker: threads it offers */
    const char *name;      /* worker: its node name, NULL for none */
    uint32_t node_id;      /* coordinator: id to give the worker */
    uint32_t heartbeat_ms; /* coordinator: heartbeat period to ask for */
};

/* What a handshake learned about the peer, or why it failed. */
struct weft__hs_peer {
    int reject;            /* enum weft__reject that ended it, 0 on success */
    int reject_by_peer;    /* 1 when the peer sent the REJECT */
    uint32_t node_id;      /* worker side: from WELCOME */
    uint32_t heartbeat_ms; /* worker side: from WELCOME */
    uint32_t nthreads;     /* coordinator side: from the worker's HELLO */
    char name[WEFT__WIRE_NAME_MAX + 1]; /* coordinator side: worker name */
    char msg[WEFT__NET_ERR_LEN];        /* human-readable failure */
};

/* Coordinator side, on a freshly accepted connection: expects the worker's
 * HELLO, checks version, role and build id, sends CHALLENGE, checks the
 * worker's RESPONSE, and sends WELCOME. On refusal it sends a REJECT
 * (best effort) before returning.
 * Returns 0 (authenticated), WEFT_ENOTSUP (version), WEFT_EPERM (other
 * binary), WEFT_EACCES (wrong secret, either side), WEFT_EPROTO (garbage,
 * wrong message or role), WEFT_EMSGSIZE (oversized frame), WEFT_ETIMEDOUT
 * (the whole handshake exceeded timeout_ms), WEFT_ECONNREFUSED (the peer
 * refused for another reason), WEFT_EINVAL (bad config) or -errno.
 * Thread: the one using t. Ownership: t stays the caller's. */
WEFT_INTERNAL int weft__hs_accept(struct weft__transport *t,
                                  const struct weft__hs_config *cfg,
                                  struct weft__hs_peer *peer);

/* Worker side, on a freshly connected transport: sends HELLO, checks the
 * coordinator's CHALLENGE proof, sends RESPONSE, and waits for WELCOME.
 * Returns the same codes as weft__hs_accept(). */
WEFT_INTERNAL int weft__hs_join(struct weft__transport *t,
                                const struct weft__hs_config *cfg,
                                struct weft__hs_peer *peer);

/* The running program's build-id hash: BLAKE2b-256 over the NT_GNU_BUILD_ID
 * notes of the executable and of the object holding libweft (read with
 * dl_iterate_phdr); when the executable has no note, over the bytes of
 * /proc/self/exe instead. Computed once per process.
 * Returns 0 or -errno. Thread: any. */
WEFT_INTERNAL int weft__build_id(uint8_t out[WEFT__WIRE_BUILD_ID_LEN]);

/* Reads a secret file (WEFT_SECRET_FILE): at most WEFT__HS_SECRET_MAX
 * bytes, one trailing newline stripped. Refuses (WEFT_EPERM) a file that
 * its group or others may read, as ssh does for keys, and a secret shorter
 * than WEFT__HS_SECRET_MIN (WEFT_EINVAL). Returns 0 or -errno.
 * Ownership: caller releases *out with weft__hs_secret_free(). */
WEFT_INTERNAL int weft__hs_secret_read_file(const char *path, uint8_t **out,
                                            size_t *len);

/* Wipes and frees a secret from weft__hs_secret_read_file(). */
WEFT_INTERNAL void weft__hs_secret_free(uint8_t *secret, size_t len);

#endif
